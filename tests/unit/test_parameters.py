"""Write parameters as data (chatapi.parameters) and bracket-notation bodies (_core.wire)."""

from __future__ import annotations

import pytest

from chatapi._core.wire import flatten, nest, split_name
from chatapi.parameters import Param, ParameterSet

TICKET = ParameterSet(
    {
        "message": Param("text", required=True),
        "requester_mail": Param("text", wire="requester[mail]", required=True),
        "requester_name": Param("text", wire="requester[name]"),
        "group": Param("integers"),
        "active": Param("flag"),
        "price": Param("number"),
        "rules": Param("objects"),
        "tags": Param("texts", wire="tags[]"),
    }
)


def test_bracket_names_split_into_paths() -> None:
    assert split_name("plain") == ("plain",)
    assert split_name("requester[mail]") == ("requester", "mail")
    assert split_name("rules[0][type]") == ("rules", "0", "type")
    assert split_name("tags[]") == ("tags", "")
    for bad in ("a[b]c", "[x]", "a[b"):
        with pytest.raises(ValueError, match="malformed"):
            split_name(bad)


def test_nest_builds_objects_and_lists() -> None:
    document = nest(
        [("requester[mail]", "m@x.io"), ("requester[name]", "M"), ("tags[]", ["a"]), ("n", 1)]
    )
    assert document == {"requester": {"mail": "m@x.io", "name": "M"}, "tags": ["a"], "n": 1}
    assert nest([("tags[]", "one")]) == {"tags": ["one"]}
    with pytest.raises(ValueError, match="conflicts"):
        nest([("a", 1), ("a[b]", 2)])
    with pytest.raises(ValueError, match="twice"):
        nest([("a[b]", 1), ("a[b]", 2)])


def test_flatten_writes_bracket_notation() -> None:
    document = {
        "name": "athletic shoes",
        "active": False,
        "properties": {"greeting-message_text": "Hello"},
        "rules": [{"type": "custom_variable", "variable_value": True}],
        "tags": ["bye", "cu"],
        "skipped": None,
        "count": 3,
    }
    assert flatten(document) == [
        ("name", "athletic shoes"),
        ("active", "0"),
        ("properties[greeting-message_text]", "Hello"),
        ("rules[0][type]", "custom_variable"),
        ("rules[0][variable_value]", "1"),
        ("tags[]", "bye"),
        ("tags[]", "cu"),
        ("count", "3"),
    ]


def test_documents_keep_json_types_and_nest_wire_names() -> None:
    document = TICKET.document(
        {
            "message": "Hi",
            "requester_mail": "m@x.io",
            "requester_name": None,
            "group": ["1", 2],
            "active": True,
            "price": "199.00",
            "rules": ({"type": "url"},),
            "tags": "solo",
        }
    )
    assert document == {
        "message": "Hi",
        "requester": {"mail": "m@x.io"},
        "group": [1, 2],
        "active": 1,
        "price": 199.0,
        "rules": [{"type": "url"}],
        "tags": ["solo"],
    }


def test_unknown_and_missing_keywords_are_type_errors() -> None:
    with pytest.raises(TypeError, match=r"X\.create\(\) got unexpected keyword argument\(s\) sbj"):
        TICKET.check({"message": "m", "requester_mail": "a", "sbj": "x"}, where="X.create()")
    with pytest.raises(TypeError, match=r"missing required argument.*requester_mail"):
        TICKET.check({"message": "m"}, where="X.create()")
    with pytest.raises(TypeError, match=r"missing required argument.*message"):
        TICKET.check({"message": None, "requester_mail": "a"}, where="X.create()")
    TICKET.check({"message": "m", "requester_mail": "a"}, where="X.create()")
    assert TICKET.required == {"message", "requester_mail"}
    assert "group" in TICKET and len(TICKET) == 8


@pytest.mark.parametrize(
    ("param", "value"),
    [
        (Param("text"), 1.5),
        (Param("integer"), "one"),
        (Param("integer"), True),
        (Param("integers"), ["1", "x"]),
        (Param("flag"), 2),
        (Param("boolean"), 1),
        (Param("number"), "nan"),
        (Param("number"), "cheap"),
        (Param("object"), ["a"]),
        (Param("objects"), [1]),
        (Param("texts"), {"a": 1}),
    ],
)
def test_values_of_the_wrong_kind_name_the_keyword(param: Param, value: object) -> None:
    with pytest.raises(ValueError, match=r"^field must"):
        param.value("field", value)
