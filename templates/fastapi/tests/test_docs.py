import re

from httpx import AsyncClient

from tests.conftest import ClientFactory
from tests.helpers import assert_problem

ASSET = re.compile(r'(?:src|href)="([^"]+)"')


async def test_docs_pages_use_only_local_assets(client: AsyncClient) -> None:
    for path in ("/docs", "/redoc"):
        response = await client.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")
        assets = ASSET.findall(response.text)
        assert assets, f"{path} references no assets"
        for url in assets:
            assert url.startswith("/"), f"{path} loads {url} from elsewhere"
            assert (await client.get(url)).status_code == 200, url
        assert "cdn" not in response.text.lower()
    # Redocly's logo, which ReDoc's bundle would load from their CDN, is left out.
    bundle = await client.get("/redoc/redoc.standalone.js")
    assert bundle.headers["content-type"].startswith("application/javascript")
    assert len(bundle.content) > 100_000
    assert b"cdn.redoc.ly" not in bundle.content
    redirect = await client.get("/docs/oauth2-redirect")
    assert redirect.status_code == 200


async def test_openapi_documents_routes_and_the_password_flow(client: AsyncClient) -> None:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    scheme = document["components"]["securitySchemes"]["OAuth2PasswordBearer"]
    assert scheme["flows"]["password"]["tokenUrl"] == "/api/v1/auth/login"
    paths = document["paths"]
    for path, methods in {
        "/health": {"get"},
        "/health/ready": {"get"},
        "/api/v1/auth/register": {"post"},
        "/api/v1/auth/login": {"post"},
        "/api/v1/auth/refresh": {"post"},
        "/api/v1/auth/logout": {"post"},
        "/api/v1/users/me": {"get", "patch"},
        "/api/v1/users/me/password": {"post"},
        "/api/v1/users": {"get"},
        "/api/v1/users/{id}": {"get", "patch", "delete"},
        "/api/v1/items": {"get", "post"},
        "/api/v1/items/{id}": {"get", "patch", "delete"},
    }.items():
        assert set(paths[path]) == methods, path
    me = paths["/api/v1/users/me"]["get"]
    assert me["security"] == [{"OAuth2PasswordBearer": []}]
    assert "User" in me["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    # Errors are documented as what they are: problem documents.
    unauthorized = me["responses"]["401"]["content"]
    assert set(unauthorized) == {"application/problem+json"}
    assert unauthorized["application/problem+json"]["schema"]["$ref"].endswith("/Problem")
    invalid = paths["/api/v1/items"]["post"]["responses"]["422"]["content"]
    unavailable = paths["/health/ready"]["get"]["responses"]["503"]["content"]
    assert set(unavailable) == {"application/json"}
    assert invalid["application/problem+json"]["schema"]["$ref"].endswith("/ValidationProblem")


async def test_docs_can_be_turned_off(make_client: ClientFactory) -> None:
    client = await make_client(docs_enabled=False)
    for path in ("/docs", "/redoc", "/openapi.json"):
        assert_problem(await client.get(path), 404, "Not Found")


async def test_openapi_document_is_the_one_every_stack_serves(client: AsyncClient) -> None:
    # The decisions of scaffold's API contract ("OpenAPI document"), in short.
    document = (await client.get("/openapi.json")).json()
    assert document["openapi"] == "3.1.0"
    assert [tag["name"] for tag in document["tags"]] == ["health", "auth", "users", "items"]
    assert list(document["components"]["securitySchemes"]) == ["OAuth2PasswordBearer"]
    operations = [op for ops in document["paths"].values() for op in ops.values()]
    assert {op["operationId"] for op in operations} == {
        "liveness", "readiness", "register", "login", "refresh", "logout",
        "requestPasswordReset", "confirmPasswordReset", "verifyEmail", "resendVerification",
        "readMe", "updateMe", "changePassword", "listUsers", "readUser", "updateUser",
        "deleteUser", "createItem", "listItems", "readItem", "updateItem", "deleteItem",
    }  # fmt: skip
    assert set(document["components"]["schemas"]) == {
        "User", "UserCreate", "UserUpdate", "UserUpdateMe", "PasswordChange", "Item",
        "ItemCreate", "ItemUpdate", "ItemPage", "UserPage", "Token", "RefreshRequest",
        "LoginForm", "PasswordResetRequest", "PasswordResetConfirm", "EmailVerification",
        "Accepted", "Problem", "ValidationProblem", "FieldError", "Health", "Readiness",
        "Role",
    }  # fmt: skip
    read_user = document["paths"]["/api/v1/users/{id}"]["get"]["responses"]
    assert set(read_user) == {"200", "401", "403", "404", "422"}
    for status, response in read_user.items():
        if status != "200":
            schema = response["content"]["application/problem+json"]["schema"]["$ref"]
            assert schema.endswith("/ValidationProblem" if status == "422" else "/Problem")
    # Pydantic's titles are left out (a property called `title` stays).
    assert "title" not in document["components"]["schemas"]["Item"]
    assert "title" not in document["components"]["schemas"]["Item"]["properties"]["id"]
    assert "title" in document["components"]["schemas"]["Item"]["properties"]
