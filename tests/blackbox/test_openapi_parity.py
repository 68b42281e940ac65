"""The two stacks serve one OpenAPI document, so a client generated from either is the
same program (docs/contract.md, "OpenAPI document").

Normalisation: none but JSON key order. The documents are compared parsed, as values;
the generated clients are compared byte for byte, so the order of paths, schemas and
properties (which a generator follows) must be the same too.

The generator is openapi-typescript (npm), run with the Node 24 the NestJS projects use:
one package with a few dependencies, installed here into a temporary folder (through the
shared npm cache, so offline once it has been installed once), and one output file.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import pytest

from tests.blackbox.conftest import Stacks
from tests.blackbox.helpers import client
from tests.blackbox.services import Service
from tests.support.node import with_node24
from tests.support.processes import run

OPENAPI_TYPESCRIPT = "openapi-typescript@7.13.0"
OPERATION_IDS = {
    "liveness", "readiness", "register", "login", "refresh", "logout", "requestPasswordReset",
    "confirmPasswordReset", "verifyEmail", "resendVerification", "readMe", "updateMe",
    "changePassword", "listUsers", "readUser", "updateUser", "deleteUser", "createItem",
    "listItems", "readItem", "updateItem", "deleteItem",
}  # fmt: skip
SCHEMAS = {
    "User", "UserCreate", "UserUpdate", "UserUpdateMe", "PasswordChange", "Item",
    "ItemCreate", "ItemUpdate", "ItemPage", "UserPage", "Token", "RefreshRequest",
    "LoginForm", "PasswordResetRequest", "PasswordResetConfirm", "EmailVerification",
    "Accepted", "Problem", "ValidationProblem", "FieldError", "Health", "Readiness", "Role",
}  # fmt: skip


def document(service: Service) -> dict[str, Any]:
    with client(service) as http:
        response = http.get("/openapi.json")
    assert response.status_code == 200, response.text
    served: dict[str, Any] = response.json()
    return served


def unified_diff(fastapi: str, nestjs: str) -> str:
    lines = difflib.unified_diff(
        fastapi.splitlines(), nestjs.splitlines(), "fastapi", "nestjs", lineterm=""
    )
    return "\n".join(lines)


@pytest.fixture(scope="session")
def openapi_typescript(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """openapi-typescript's command-line entry point, freshly installed."""
    root = tmp_path_factory.mktemp("openapi-typescript")
    run(
        ["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", OPENAPI_TYPESCRIPT],
        cwd=root,
        env=with_node24(),
        timeout=300,
    )
    return root / "node_modules" / "openapi-typescript" / "bin" / "cli.js"


def test_the_stacks_serve_the_same_document(stacks: Stacks) -> None:
    fastapi, nestjs = (document(service) for service in stacks)
    if fastapi != nestjs:
        pytest.fail(
            "the OpenAPI documents differ:\n"
            + unified_diff(
                json.dumps(fastapi, sort_keys=True, indent=1),
                json.dumps(nestjs, sort_keys=True, indent=1),
            )
        )


def test_the_document_is_the_decided_one(stacks: Stacks) -> None:
    # A few of the decisions, so that two documents equally wrong do not pass.
    served = document(stacks.fastapi)
    assert served["openapi"] == "3.1.0"
    assert set(served["info"]) == {"title", "description", "version"}
    assert [tag["name"] for tag in served["tags"]] == ["health", "auth", "users", "items"]
    assert list(served["components"]["securitySchemes"]) == ["OAuth2PasswordBearer"]
    assert set(served["components"]["schemas"]) == SCHEMAS
    operations = [op for ops in served["paths"].values() for op in ops.values()]
    assert {op["operationId"] for op in operations} == OPERATION_IDS
    login = served["paths"]["/api/v1/auth/login"]["post"]
    assert login["operationId"] == "login"
    assert set(login["responses"]) == {"200", "401", "403", "422", "429"}
    problem = login["responses"]["429"]["content"]["application/problem+json"]["schema"]
    assert problem == {"$ref": "#/components/schemas/Problem"}


def test_a_client_generated_from_each_document_is_the_same_file(
    stacks: Stacks, openapi_typescript: Path, tmp_path: Path
) -> None:
    generated = {}
    for service in stacks:
        name = service.variant.stack
        source = tmp_path / f"{name}.json"
        with client(service) as http:
            source.write_bytes(http.get("/openapi.json").content)  # as served, in its order
        target = tmp_path / f"{name}.ts"
        run(
            ["node", str(openapi_typescript), str(source), "--output", str(target)],
            cwd=tmp_path,
            env=with_node24(),
            timeout=120,
        )
        generated[name] = target.read_text()
    assert "export interface components" in generated["fastapi"]
    if generated["fastapi"] != generated["nestjs"]:
        pytest.fail(
            "openapi-typescript writes two different clients:\n"
            + unified_diff(generated["fastapi"], generated["nestjs"])
        )
