"""The fixtures of ``chatapi.testing``, used here as users would use them.

Re-exported rather than loaded with ``pytest_plugins``: once the plugin is registered as a
``pytest11`` entry point, loading it a second time under another name would be an error,
while these names simply take precedence.
"""

from chatapi.testing import (  # noqa: F401
    chatapi_faults,
    chatapi_livechat_sandbox,
    chatapi_retry_policy,
    chatapi_sandbox,
)
