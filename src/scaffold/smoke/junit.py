"""The run as a JUnit XML report, the format CI systems display: one test suite per
variant, one test case per step, with a failed step's output as its failure."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from scaffold.smoke.runner import STEPS, VariantResult


def write(results: list[VariantResult], path: Path) -> None:
    root = ET.Element("testsuites", name="scaffold smoke")
    for result in results:
        ran = {step.name: step for step in result.steps}
        suite = ET.SubElement(
            root,
            "testsuite",
            name=result.variant.id,
            tests=str(len(STEPS)),
            failures=str(sum(not step.ok for step in result.steps)),
            skipped=str(len(STEPS) - len(ran)),
            time=f"{result.seconds:.3f}",
        )
        for name in STEPS:
            step = ran.get(name)
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"smoke.{result.variant.id}",
                name=name,
                time=f"{step.seconds:.3f}" if step else "0",
            )
            if step is None:
                ET.SubElement(case, "skipped", message="an earlier step failed")
            elif not step.ok:
                reason = step.detail.splitlines()[0] if step.detail else f"{name} failed"
                ET.SubElement(case, "failure", message=reason).text = step.detail
            elif step.detail:
                ET.SubElement(case, "system-out").text = step.detail
    ET.indent(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
