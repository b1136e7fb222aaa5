"""The official Python MCP SDK (PyPI `mcp`) as the client of `archdraw mcp`.

Usage: python tests/mcp/client.py ARCHDRAW_BINARY SPEC_FILE EXPECTED_DRAWING_FILE
Lists the tools, renders the spec through `render` and compares the drawing with the expected
one, checks `validate` and `schema`; exits non-zero with a message on any difference.
"""

import asyncio
import json
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


def field(obj, snake: str, camel: str):
    """SDK 2 names fields in snake case, SDK 1 as the protocol does."""
    return getattr(obj, snake) if hasattr(obj, snake) else getattr(obj, camel)


async def main(binary: str, spec_path: str, expected_path: str) -> None:
    spec = open(spec_path, encoding="utf-8").read()
    expected = open(expected_path, encoding="utf-8").read()
    server = StdioServerParameters(command=binary, args=["mcp"])
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            assert field(init, "server_info", "serverInfo").name == "archdraw", init
            tools = await session.list_tools()
            names = [tool.name for tool in tools.tools]
            assert names == ["render", "validate", "schema"], names
            for tool in tools.tools:
                assert field(tool, "input_schema", "inputSchema")["type"] == "object", tool

            drawn = await session.call_tool("render", {"spec": spec})
            assert not field(drawn, "is_error", "isError"), drawn
            assert drawn.content[0].text == expected, drawn.content[0].text

            valid = await session.call_tool("validate", {"spec": spec})
            assert valid.content[0].text == "valid", valid
            broken = await session.call_tool("validate", {"spec": "boxes: [{title: A}]\narrows: [a -> b]\n"})
            assert field(broken, "is_error", "isError") and broken.content[0].text.startswith("spec:2:15: unknown box 'b'"), broken

            schema = await session.call_tool("schema", {})
            assert "boxes" in json.loads(schema.content[0].text)["properties"], schema
    version = field(init, "protocol_version", "protocolVersion")
    print(f"ok: protocol {version}, tools {names}, the spec drawn as expected")


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
