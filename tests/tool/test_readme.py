"""What the README tells a team to copy works as written."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support import REPO_ROOT
from tests.support.actionlint import actionlint


def test_the_smoke_ci_job_passes_actionlint(tmp_path: Path) -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    section = readme.split("## Smoke-testing the templates", 1)[1].split("\n## ", 1)[0]
    jobs = re.findall(r"```yaml\n(.*?)```", section, re.S)
    assert len(jobs) == 1 and "scaffold smoke" in jobs[0]
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "templates.yml").write_text(jobs[0])
    assert actionlint(tmp_path) == []
