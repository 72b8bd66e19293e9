"""The built-in vendor adapters, one package each.

Each package exports its :class:`~chatapi.spec.VendorSpec` as ``SPEC``; the ``chatapi.vendors``
entry points name them. :data:`BUILTIN` lists them too, so that chatapi run from a source tree
(without its entry points installed) still knows its own vendors.
"""

#: Vendor name -> ``"module:attribute"`` of its spec.
BUILTIN = {
    "livechat": "chatapi.vendors.livechat:SPEC",
    "revechat": "chatapi.vendors.revechat:SPEC",
    "acquire": "chatapi.vendors.acquire:SPEC",
}
