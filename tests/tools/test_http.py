from __future__ import annotations

from typing import Any

import pytest

from cadenza.errors import ToolConfigError, ToolError
from cadenza.tools.base import invoke
from cadenza.tools.http import HttpTool

from .conftest import Endpoint

pytestmark = pytest.mark.anyio

SECRET = "sk-test-0123456789"


def spec(url: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "http",
        "function": {
            "name": "double",
            "description": "Double a number.",
            "parameters": {
                "type": "object",
                "properties": {"x": {"type": "number"}},
                "required": ["x"],
            },
        },
        "endpoint": {"url": url, "headers": {"Authorization": f"Bearer {SECRET}"}},
        **extra,
    }


async def test_maestro_shape_posts_the_arguments_with_the_headers(endpoint: Endpoint) -> None:
    tool = HttpTool.from_spec(spec(f"{endpoint.url}/double"))
    out = await invoke(tool, {"x": 21})
    assert out.value == {"doubled": 42.0}
    assert endpoint.received == [{"path": "/double", "body": {"x": 21}, "auth": f"Bearer {SECRET}"}]
    assert SECRET not in repr(tool)


async def test_text_answers_come_back_as_text(endpoint: Endpoint) -> None:
    tool = HttpTool(
        "greet",
        "Greet someone.",
        {"type": "object", "properties": {"name": {"type": "string"}}},
        f"{endpoint.url}/text",
    )
    assert (await invoke(tool, {"name": "Ada"})).value == "hello Ada"


async def test_a_redirect_is_refused_only_the_given_endpoint_is_called(endpoint: Endpoint) -> None:
    tool = HttpTool.from_spec(spec(f"{endpoint.url}/redirect"))
    with pytest.raises(ToolError, match="only calls the endpoint it was given"):
        await invoke(tool, {"x": 1})
    assert [r["path"] for r in endpoint.received] == ["/redirect"]


async def test_errors_say_what_happened_without_secrets(endpoint: Endpoint) -> None:
    tool = HttpTool.from_spec(spec(f"{endpoint.url}/bad?token={SECRET}"))
    with pytest.raises(ToolError) as info:
        await invoke(tool, {"x": 1})
    message = str(info.value)
    assert "answered 400: no such thing" in message and not info.value.retryable
    assert SECRET not in message and f"{endpoint.url}/bad" in message
    endpoint.failures_left["/double"] = 1
    busy = HttpTool.from_spec(spec(f"{endpoint.url}/double"))
    with pytest.raises(ToolError, match="answered 503") as retry:
        await invoke(busy, {"x": 1})
    assert retry.value.retryable


async def test_an_unreachable_endpoint_is_retryable() -> None:
    tool = HttpTool.from_spec(spec("http://127.0.0.1:9/double"))
    with pytest.raises(ToolError, match="cannot reach") as info:
        await invoke(tool, {"x": 1})
    assert info.value.retryable


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"endpoint": {"url": "ftp://x/y"}}, "not an http"),
        ({"function": None}, "needs a 'function' object"),
        ({"type": "mcp"}, "not an HTTP tool"),
        ({"limits": {"speed": 1}}, "limits may only set"),
    ],
)
def test_bad_definitions_are_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ToolConfigError, match=message):
        HttpTool.from_spec({**spec("http://127.0.0.1:1/x"), **changes})


def test_limits_come_from_the_definition() -> None:
    tool = HttpTool.from_spec(
        spec("http://127.0.0.1:1/x", limits={"timeout_s": 2, "cost_usd": 0.01})
    )
    assert tool.limits.timeout_s == 2 and tool.limits.cost_usd == 0.01


async def test_secrets_never_reach_the_result_or_the_store(
    endpoint: Endpoint, tmp_path: Any
) -> None:
    import json

    from cadenza import api

    from ..planner.plans.scripts import Planner, step

    planner = Planner([{"steps": [step(1, "double", x=4)], "answer": "$1"}])
    path = tmp_path / "runs.db"
    result = await api.solve(
        "Double 4", [], models=[planner.model], tools=[spec(f"{endpoint.url}/double")], store=path
    )
    assert endpoint.received[0]["auth"] == f"Bearer {SECRET}"
    assert result.plan is not None and result.plan.nodes[0].output == '{"doubled": 8.0}'
    assert SECRET not in json.dumps(result.to_json(), default=str)
    for file in tmp_path.glob("runs.db*"):  # the database and any WAL beside it
        assert SECRET.encode() not in file.read_bytes()
