"""Request bodies of the fake servers: bracket-notation forms, JSON, parameter checks.

LiveChat REST API v2 writes take either JSON or a form whose keys use PHP-style bracket
notation (``tags[]=a``, ``rules[0][type]=x``, ``properties[greeting-message_text]=y``); see
https://developers.livechat.com/docs/ (REST API v2 reference, "Update a greeting").
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from ._app import json_response

__all__ = [
    "BadParameter",
    "NotFound",
    "as_int",
    "as_list",
    "guarded",
    "parse_bracket_form",
    "read_body",
    "require",
]

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_PART = re.compile(r"\[([^\[\]]*)\]")


Handler = Callable[[web.Request], Awaitable[web.Response]]


class BadParameter(Exception):
    """A parameter the vendor would reject (the message names it: ``"<param>: ..."``)."""


class NotFound(Exception):
    """An unknown id (the message is the answer's ``error``, e.g. ``"Goal not found"``)."""


def guarded(check: Callable[[web.Request], web.Response | None], handler: Handler) -> Handler:
    """``handler`` behind the app's auth ``check``, with LiveChat-shaped error answers.

    :class:`BadParameter` becomes 400 ``{"errors": [...]}``, :class:`NotFound` 404
    ``{"error": ...}`` (both shapes: https://developers.livechat.com/docs/ REST API v2
    reference, "Error handling").
    """

    async def run(request: web.Request) -> web.Response:
        denied = check(request)
        if denied is not None:
            return denied
        try:
            return await handler(request)
        except BadParameter as exc:
            return json_response({"errors": [str(exc)]}, status=400)
        except NotFound as exc:
            return json_response({"error": str(exc)}, status=404)

    return run


def _split(key: str) -> list[str]:
    match = _KEY.match(key)
    if match is None:
        return [key]
    return [match.group(1), *_PART.findall(match.group(2))]


def _listify(node: Any) -> Any:
    # {"0": a, "1": b} -> [a, b]: indexed keys (rules[0][type]) are lists on the wire.
    if isinstance(node, list):
        return [_listify(item) for item in node]
    if isinstance(node, dict):
        converted = {key: _listify(value) for key, value in node.items()}
        if converted and all(key.isdigit() for key in converted):
            return [converted[key] for key in sorted(converted, key=int)]
        return converted
    return node


def parse_bracket_form(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Nest the fields of a bracket-notation form.

    ``a=1`` gives ``{"a": "1"}``; ``t[]=x&t[]=y`` gives ``{"t": ["x", "y"]}``;
    ``r[0][type]=u&r[0][value]=v`` gives ``{"r": [{"type": "u", "value": "v"}]}``;
    ``p[k]=v`` gives ``{"p": {"k": "v"}}``. A repeated plain key keeps its last value.

    Args:
        pairs: The form's ``(key, value)`` pairs in order (``urllib.parse.parse_qsl``).

    Returns:
        The nested fields (values stay strings).
    """
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = _split(key)
        node: Any = root
        for position, part in enumerate(parts):
            last = position == len(parts) - 1
            if isinstance(node, list):
                # Only "[]" reaches a list: each one starts a new element.
                if last:
                    node.append(value)
                else:
                    child: Any = [] if parts[position + 1] == "" else {}
                    node.append(child)
                    node = child
                continue
            if last:
                node[part] = value
                break
            wants_list = parts[position + 1] == ""
            child = node.get(part)
            if not isinstance(child, list if wants_list else dict):
                child = [] if wants_list else {}
                node[part] = child
            node = child
    result = _listify(root)
    assert isinstance(result, dict)
    return result


def _normalize_json(body: Mapping[str, Any]) -> dict[str, Any]:
    # The reference's own JSON examples send {"tag[]": "sales"}: read "x[]" as list "x".
    out: dict[str, Any] = {}
    for key, value in body.items():
        if key.endswith("[]"):
            items = value if isinstance(value, list) else [value]
            base = key[:-2]
            existing = out.get(base)
            out[base] = (existing if isinstance(existing, list) else []) + items
        else:
            out[key] = value
    return out


async def read_body(request: web.Request) -> dict[str, Any]:
    """The request's parameters: a JSON object or a (bracket-notation) form.

    Raises:
        BadParameter: The body is neither a JSON object nor a form.
    """
    # body_exists, not can_read_body: the fault middleware may have read the body already
    # (request.read() then answers from its cache).
    raw = (await request.read()).decode("utf-8", errors="replace") if request.body_exists else ""
    text = raw.strip()
    if not text:
        return {}
    if request.content_type == "application/json" or text[:1] in "{[":
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise BadParameter("body: malformed JSON") from exc
        if not isinstance(data, dict):
            raise BadParameter("body: must be a JSON object")
        return _normalize_json(data)
    return parse_bracket_form(parse_qsl(text, keep_blank_values=True))


def require(body: Mapping[str, Any], name: str) -> Any:
    """``body[name]``, which must be present and not empty.

    Raises:
        BadParameter: ``"<name>: is required"`` (LiveChat's wording).
    """
    value = body.get(name)
    if value is None or value == "" or value == []:
        raise BadParameter(f"{name}: is required")
    return value


def as_int(value: Any, name: str) -> int:
    """``value`` as an integer (a form sends ``"3"``, JSON ``3``).

    Raises:
        BadParameter: ``"<name>: must be an integer"``.
    """
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    raise BadParameter(f"{name}: must be an integer")


def as_list(value: Any, name: str) -> list[Any]:
    """``value`` as a list (a lone form field counts as a list of one).

    Raises:
        BadParameter: ``"<name>: must be an array"``.
    """
    if isinstance(value, list):
        return value
    raise BadParameter(f"{name}: must be an array")
