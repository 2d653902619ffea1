"""The app as an MCP server: its tools (the JSON endpoints) as /gradio_api/mcp/schema lists them, and a tool called
through the MCP protocol, answering as the same endpoint does through gradio_client."""
import ast
import asyncio
import base64

import httpx
import pytest
from gradio_client import Client, handle_file
from mcp import ClientSession
from mcp.client.streamable_http import streamablehttp_client

from ui.demo import JSON_ENDPOINTS
from ui.examples import EXAMPLES_DIR

pytestmark = pytest.mark.slow
FACE = EXAMPLES_DIR / "toy_face.png"
IMAGE_TOOLS = ("predict", "maps", "faithfulness", "sweep")


@pytest.fixture(scope="module")
def tools(app_url) -> dict[str, dict]:
    """The schema's tools by the endpoint each one calls."""
    response = httpx.get(f"{app_url}/gradio_api/mcp/schema", timeout=60)
    response.raise_for_status()
    return {tool["meta"]["endpoint_name"]: tool for tool in response.json()}


def test_the_tools_are_the_json_endpoints(tools):
    assert sorted(tools) == sorted(JSON_ENDPOINTS)


def test_every_tool_says_what_it_does_what_it_returns_and_what_each_parameter_means(tools):
    for name, tool in tools.items():
        description = tool["description"]
        assert len(description.split("Returns:")[0]) > 80 and len(description.split("Returns:")[1]) > 80, name
        properties = tool["inputSchema"]["properties"]
        assert properties, name
        for parameter, spec in properties.items():
            assert len(spec.get("description", "")) > 20, (name, parameter)


def test_images_reach_the_tools_as_urls(tools):
    for name in IMAGE_TOOLS:
        schema = tools[name]["inputSchema"]
        assert schema["properties"]["image"]["type"] == "string"
        assert "url" in schema["properties"]["image"]["format"]
        assert schema["required"] == ["image"], name  # everything else has a default


def test_the_panels_are_no_tools_but_stay_callable_by_name(app_url, tools):
    assert not set(tools) & {"compare", "inside", "sweep_panel", "picasso_panel", "mha_parameters", "choose_pair"}
    table = Client(app_url, verbose=False).predict(3, 20, 100, 100, 50, 10, 30, False, api_name="/mha_parameters")
    assert "| **total** | **33,000** |" in table


async def _call(url: str, tool: str, arguments: dict):
    async with streamablehttp_client(url) as (read, write, _):
        async with ClientSession(read, write) as session:
            await session.initialize()
            listed = await session.list_tools()
            return [t.name for t in listed.tools], await session.call_tool(tool, arguments)


def test_predict_through_mcp_answers_as_through_gradio_client(app_url, tools):
    # Gradio downloads a URL only from a public address (its SSRF guard refuses 127.0.0.1, so the URL that
    # `gradio upload-mcp` makes for a local app fails here); the image goes inline, as a data URL.
    image = "data:image/png;base64," + base64.b64encode(FACE.read_bytes()).decode()
    name = tools["predict"]["name"]
    listed, result = asyncio.run(_call(f"{app_url}/gradio_api/mcp/", name, {"image": image, "pair": "toy",
                                                                         "top_k_classes": 3}))
    assert name in listed and not result.isError, result.content
    over_mcp = ast.literal_eval(result.content[0].text)  # the endpoint's dict, as text
    direct = Client(app_url, verbose=False).predict(handle_file(str(FACE)), "toy", 3, api_name="/predict")
    assert over_mcp == direct
    assert [entry["label"] for entry in over_mcp["cnn"]][0] == "face" and len(over_mcp["vit"]) == 3
