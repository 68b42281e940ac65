"""The command line: parses options, prompts, prints. The work is in the core modules."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from scaffold import __version__, prompts
from scaffold.answers import load_answers_file, parse_data
from scaffold.errors import ScaffoldError
from scaffold.new import Created, NewProject, create
from scaffold.relock import Outcome, Relock
from scaffold.render import check_target
from scaffold.smoke import databases as smoke_databases
from scaffold.smoke import junit as smoke_junit
from scaffold.smoke import matrix as smoke_matrix
from scaffold.smoke import runner as smoke_runner
from scaffold.stacks import STACKS, get_stack
from scaffold.template import as_bool, load_questions, read_config, template_source
from scaffold.update import Conflict, Updated, UpdateRequest, list_releases, update

# `scaffold update`'s exit code when the updated manifest cannot be locked.
LOCK_FAILED = 3

app = typer.Typer(
    help="Start production-ready backend services (FastAPI or NestJS) and keep them up to date.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


# Options more than one command takes, spelled and explained once.
DataOption = Annotated[
    list[str] | None,
    typer.Option(
        "--data",
        "-d",
        help="Set a template answer: KEY=VALUE, e.g. database=postgresql (repeatable).",
        show_default=False,
    ),
]
DefaultsOption = Annotated[
    bool, typer.Option("--defaults", help="Use the default for every question not answered.")
]
NoInputOption = Annotated[
    bool,
    typer.Option(
        "--no-input", help="Never prompt: fail when an answer without a default is missing."
    ),
]


def _interactive(defaults: bool, no_input: bool) -> bool:
    """Whether to prompt: only at a terminal, and not with --defaults or --no-input."""
    return not (defaults or no_input) and sys.stdin.isatty()


@contextmanager
def reported_errors() -> Iterator[None]:
    """Every command's one way out on failure, as copier's CLI has `_handle_exceptions`:
    a ScaffoldError is `error: MESSAGE` and exit 2, Ctrl-C is exit 130 (128 + SIGINT).

    A context manager, so it decorates a command too: `@reported_errors()`.
    """
    try:
        yield
    except ScaffoldError as exc:
        typer.secho(f"error: {exc}", fg="red", err=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        typer.secho("error: interrupted", fg="red", err=True)
        raise typer.Exit(130) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"scaffold {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Start production-ready backend services and keep them up to date."""


@app.command()
@reported_errors()
def new(
    name: Annotated[
        str | None,
        typer.Argument(
            help="Directory to create; its name is the project name.", show_default=False
        ),
    ] = None,
    stack: Annotated[
        str | None,
        typer.Option(
            "--stack", "-s", help=f"Stack to generate: {', '.join(STACKS)}.", show_default=False
        ),
    ] = None,
    data: DataOption = None,
    answers_file: Annotated[
        Path | None,
        typer.Option(
            "--answers-file",
            "-a",
            help="YAML file of answers (e.g. another project's .copier-answers.yml).",
            show_default=False,
        ),
    ] = None,
    defaults: DefaultsOption = False,
    no_input: NoInputOption = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Generate into a non-empty directory; replaced files are kept as *.orig.",
        ),
    ] = False,
    no_git: Annotated[
        bool,
        typer.Option(
            "--no-git",
            help="Skip git init and the first commit (never done inside another "
            "repository's work tree: the files are left there to commit).",
        ),
    ] = False,
    no_install: Annotated[
        bool, typer.Option("--no-install", help="Skip installing dependencies.")
    ] = False,
) -> None:
    """Generate a new service.

    Asks for the stack, name and the template's questions, unless they are given
    with --stack, NAME, --data and --answers-file (with --defaults or --no-input,
    or when not run from a terminal, nothing is asked).
    """
    answers: dict[str, Any] = {}
    if answers_file is not None:
        answers.update(load_answers_file(answers_file))
    answers.update(parse_data(data or []))
    answered_stack = answers.pop("stack", None)
    stack_name = stack or answered_stack
    if _interactive(defaults, no_input):
        answers = _converse(answers, stack_name, name, force)
        stack_name = answers.pop("stack")
    if stack_name is None:
        raise ScaffoldError(f"missing answer: stack (pass --stack {'|'.join(STACKS)})")
    chosen = get_stack(str(stack_name))
    if name is None:
        if "project_name" not in answers:
            raise ScaffoldError(
                "missing answer: project name (pass NAME, e.g. `scaffold new my-service`)"
            )
        name = str(answers["project_name"])
    request = NewProject(
        stack=chosen,
        target=Path(name),
        answers=answers,
        force=force,
        install=not no_install,
        git=not no_git,
    )
    created = create(request, progress=_progress, output=_output)
    _summary(chosen, created)


@app.command("update")
@reported_errors()
def update_command(
    project: Annotated[
        Path, typer.Option("--project", "-p", help="The generated project to update.")
    ] = Path("."),
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            help="Template release (v1.2.0) or git revision to update to; default: the "
            "newest release this scaffold ships.",
            show_default=False,
        ),
    ] = None,
    data: DataOption = None,
    conflict: Annotated[
        Conflict,
        typer.Option(
            "--conflict",
            help="How to show conflicts: inline (git markers) or rej (FILE.rej beside FILE).",
        ),
    ] = Conflict.INLINE,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Only list what would change (works on a scratch clone)."),
    ] = False,
    defaults: DefaultsOption = False,
    no_input: NoInputOption = False,
    list_only: Annotated[
        bool,
        typer.Option(
            "--list", help="Only list the template releases, and which one the project is on."
        ),
    ] = False,
) -> None:
    """Bring template improvements into a generated project, keeping your changes.

    Run it with the project committed (it may sit in a subdirectory of a larger
    repository): the template changes since the project's recorded version arrive
    as uncommitted changes; where you and the template changed the same lines you
    get conflicts to resolve. Without --to it goes to the newest release and lists
    the releases it brings with their changelog entries. When pyproject.toml or
    package.json changes, the lock file is re-locked (`uv lock`, `npm install
    --package-lock-only`; on --dry-run too). Exit code 1 when there are conflicts,
    2 when the update is refused, 3 when the lock cannot be resolved (the update
    is kept to fix).
    """
    if list_only:
        _list_releases(project)
        return
    request = UpdateRequest(
        project=project,
        to=to,
        conflict=conflict,
        dry_run=dry_run,
        interactive=_interactive(defaults, no_input),
    )
    request.answers = parse_data(data or [])
    result = update(request, progress=_progress)
    verb = "would change" if dry_run else "changed"
    typer.secho(f"Template {result.from_version} -> {result.to_version}", bold=True)
    _release_notes(result)
    if not result.changes:
        typer.echo("Already up to date: nothing to change.")
    for change in result.changes:
        typer.echo(f"  {verb}: {change}")
    if result.conflicts:
        typer.secho(f"{len(result.conflicts)} conflicted file(s):", fg="yellow", bold=True)
        for name in result.conflicts:
            typer.echo(f"  conflict: {name}")
        if not dry_run:
            typer.echo(
                "Resolve them, run the tests, then commit (or `git checkout .` to roll back)."
            )
    if result.relocked is not None:
        _report_relock(result.relocked, dry_run)
    if result.conflicts:
        raise typer.Exit(1)
    if result.changes and not dry_run:
        typer.echo("Review with `git diff`, run the tests, then commit.")


def _report_relock(relocked: Relock, dry_run: bool) -> None:
    lock = relocked.lock
    if relocked.outcome is Outcome.RELOCKED:
        verb = "Would re-lock" if dry_run else "Re-locked"
        typer.echo(f"{verb} {lock.lockfile} after {lock.manifest} changed.")
    elif relocked.outcome is Outcome.CONFLICTED:
        typer.secho(
            f"{lock.lockfile} is not re-locked: resolve the conflicts in {lock.manifest}, "
            f"then run `{lock.command}`.",
            fg="yellow",
        )
    else:
        message = (
            f"error: cannot re-lock {lock.lockfile} after {lock.manifest} changed: "
            f"{relocked.reason}"
        )
        if not dry_run:
            message += f"; the update is kept: fix {lock.manifest}, then run `{lock.command}`"
        typer.secho(message, fg="red", err=True)
        raise typer.Exit(LOCK_FAILED)


def _list_releases(project: Path) -> None:
    listing = list_releases(project)
    if not listing.releases:
        typer.echo(f"No template releases in {listing.source}.")
    else:
        typer.secho(f"Template releases in {listing.source}:", bold=True)
    width = max((len(r.tag) for r in listing.releases), default=0)
    for release in listing.releases:
        mark = "  <- this project" if release == listing.current else ""
        typer.echo(f"  {release.tag:<{width}}  {release.date}{mark}")
    if listing.recorded is not None and listing.current is None:
        typer.echo(f"This project is on template version {listing.recorded}.")


def _release_notes(result: Updated) -> None:
    for notes in result.releases:
        typer.secho(f"\n{notes.release.tag} ({notes.release.date})", bold=True)
        for line in (notes.entry or "(no CHANGELOG.md entry)").splitlines():
            typer.echo(f"  {line}" if line else "")
    if result.releases:
        typer.echo()


@app.command("list")
@reported_errors()
def list_stacks() -> None:
    """List the stacks and the options each offers."""
    config = read_config(template_source())
    for stack in STACKS.values():
        tools = ", ".join(t.command for t in stack.tools)
        typer.secho(f"{stack.name}", bold=True, nl=False)
        typer.echo(f"  {stack.label} ({stack.language}); needs {tools}")
        for q in load_questions(config, stack.name):
            if q.name == "stack":
                continue
            choices = f" [{'|'.join(q.choices.values())}]" if q.choices else ""
            shown = q.default
            if q.type == "bool":
                choices, shown = " [true|false]", str(as_bool(q.default)).lower()
            default = f" (default: {shown})" if shown is not None else ""
            typer.echo(f"  --data {q.name}=…{choices}{default}  {q.help}")


def _converse(
    answers: dict[str, Any], stack: str | None, name: str | None, force: bool
) -> dict[str, Any]:
    """Ask every question the command line left open, in one conversation, before
    anything is rendered; the stack and target given are checked before asking."""
    answers = dict(answers)
    if stack is not None:
        answers["stack"] = get_stack(str(stack)).name
    if name is not None:
        check_target(Path(name), force)
        answers.setdefault("project_name", Path(name).resolve().name)  # as `create` names it
    return prompts.converse(read_config(template_source()), answers, force)


def _progress(message: str) -> None:
    typer.secho(f"==> {message}", fg="cyan", err=True)


def _output(line: str) -> None:
    typer.secho(f"    {line}", dim=True, err=True)


def _summary(stack: Any, created: Created) -> None:
    path = created.path
    typer.secho(f"\nCreated {stack.label} service in {path}", fg="green", bold=True)
    for orig in created.kept_as_orig:
        typer.echo(f"  kept your file as {orig}")
    steps = [(f"cd {path}", "")]
    if created.tools_dir is not None:
        export = f'export PATH="{created.tools_dir}:$PATH"'
        steps.insert(0, (export, "so make finds scaffold's tools"))
    if not created.installed:
        steps.append(("make install", " ".join(stack.install)))
    steps += [
        (stack.test, "run the tests"),
        (stack.start, "serve on http://localhost:8000 (API docs at /docs)"),
    ]
    typer.echo("\nNext:")
    width = max(len(command) for command, _ in steps)
    for command, why in steps:
        typer.echo(f"  {command.ljust(width)}  # {why}" if why else f"  {command}")


@app.command("smoke")
@reported_errors()
def smoke_command(
    stack: Annotated[
        list[str] | None,
        typer.Option(
            "--stack",
            "-s",
            help=f"Only this stack's variants (repeatable): {', '.join(STACKS)}.",
            show_default=False,
        ),
    ] = None,
    data: Annotated[
        list[str] | None,
        typer.Option(
            "--data",
            "-d",
            help="Hold an answer on every variant, e.g. database=postgresql (repeatable).",
            show_default=False,
        ),
    ] = None,
    variant: Annotated[
        list[str] | None,
        typer.Option(
            "--variant",
            "-v",
            help="Only this variant, by the id --list shows (repeatable).",
            show_default=False,
        ),
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, help="Variants checked at the same time.")
    ] = 1,
    junit: Annotated[
        Path | None,
        typer.Option("--junit", help="Write a JUnit XML report to FILE.", show_default=False),
    ] = None,
    keep: Annotated[
        Path | None,
        typer.Option(
            "--keep",
            help="Generate into DIR (new or empty) and leave the projects and logs there.",
            show_default=False,
        ),
    ] = None,
    postgres: Annotated[
        str,
        typer.Option(
            "--postgres",
            envvar="SCAFFOLD_SMOKE_POSTGRES",
            help="PostgreSQL server on which each PostgreSQL variant gets a throw-away database.",
        ),
    ] = smoke_databases.DEFAULT_SERVER,
    list_only: Annotated[
        bool, typer.Option("--list", help="Only list the variants that would be checked.")
    ] = False,
) -> None:
    """Smoke-test the templates: generate, install, lint, test and serve each variant.

    The variants cover every answer of every option, and every pair of answers
    to two options (pairwise, not the full cross product), for each stack. Each
    is rendered from this scaffold's templates (or SCAFFOLD_TEMPLATE's), runs
    `make install`, `make lint` and `make test`, is started with `make start`,
    and must answer /health, /health/ready and a self-hosted /docs. Variables
    in the environment reach every command (e.g. TEST_REDIS_URL). Exit code 1
    when any variant fails, with the failing step's output.
    """
    for name in stack or []:
        get_stack(name)
    source = template_source()
    fixed = parse_data(data or [])
    variants = smoke_matrix.build(read_config(source), stack or STACKS, fixed)
    if variant:
        variants = smoke_matrix.select(variants, variant)
    if list_only:
        for v in variants:
            typer.echo(v.id)
        return
    with _smoke_workdir(keep) as workdir:
        typer.secho(
            f"Smoke-testing {len(variants)} variant(s), {jobs} at a time, in {workdir}",
            bold=True,
        )
        plan = smoke_runner.Plan(source, variants, workdir, jobs=jobs, postgres=postgres)
        results = smoke_runner.run(plan, progress=_smoke_progress)
        if junit is not None:
            smoke_junit.write(results, junit)
    _smoke_report(results, junit)
    if not all(result.ok for result in results):
        raise typer.Exit(1)


@contextmanager
def _smoke_workdir(keep: Path | None) -> Iterator[Path]:
    if keep is None:
        with tempfile.TemporaryDirectory(prefix="scaffold-smoke-") as tmp:
            yield Path(tmp)
        return
    if keep.exists() and (not keep.is_dir() or any(keep.iterdir())):
        raise ScaffoldError(f"--keep {keep}: choose a new or empty directory")
    keep.mkdir(parents=True, exist_ok=True)
    yield keep.resolve()


def _smoke_progress(event: smoke_runner.Event) -> None:
    if event.ok is None:
        _progress(f"[{event.variant.id}] {event.step}")
    else:
        verdict = "ok" if event.ok else "FAILED"
        typer.secho(
            f"    [{event.variant.id}] {event.step} {verdict} ({event.seconds:.1f} s)",
            fg=None if event.ok else "red",
            err=True,
        )


def _smoke_report(results: list[smoke_runner.VariantResult], junit: Path | None) -> None:
    for result in results:
        failed = result.failed
        if failed is not None:
            typer.secho(f"\n{result.variant.id}: {failed.name} failed", fg="red", bold=True)
            typer.echo(failed.detail)
            if failed.log is not None:
                typer.echo(f"(whole output: {failed.log})")
    steps = smoke_runner.STEPS
    width = max([len("variant"), *(len(r.variant.id) for r in results)])
    typer.secho(
        "\n" + "variant".ljust(width) + "".join(f"{s:>10}" for s in steps) + "     total  result",
        bold=True,
    )
    for result in results:
        times = {step.name: f"{step.seconds:.1f}s" for step in result.steps}
        row = result.variant.id.ljust(width) + "".join(f"{times.get(s, '-'):>10}" for s in steps)
        verdict = "ok" if result.ok else "FAILED"
        typer.secho(f"{row}{result.seconds:>9.1f}s  {verdict}", fg="green" if result.ok else "red")
    passed = sum(result.ok for result in results)
    typer.echo(f"\n{passed} passed, {len(results) - passed} failed")
    if junit is not None:
        typer.echo(f"JUnit report: {junit}")
