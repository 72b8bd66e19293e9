"""The normalized writes (``chatapi.writes``) as LiveChat v2 calls: the New* inputs mapped to
the reference's parameters, and the natural-key lookups a migration uses before repeating an
ambiguous write. Pure functions; the client methods call them."""

from __future__ import annotations

from typing import Any

from ...models import AgentRole, NewAgent, NewCannedResponse, NewGroup, NewTag, NewTicket

__all__ = [
    "agent_arguments",
    "canned_response_arguments",
    "group_arguments",
    "tag_arguments",
    "ticket_arguments",
]


def agent_arguments(agent: NewAgent) -> dict[str, Any]:
    """``create_agent`` keywords: no password (LiveChat e-mails an activation link)."""
    # "permission: administrator, normal (default)": an owner cannot be created, only promoted.
    admin = agent.role in (AgentRole.ADMIN, AgentRole.OWNER)
    arguments: dict[str, Any] = {
        "login": agent.email,
        "name": agent.name,
        "permission": "administrator" if admin else "normal",
        "job_title": agent.job_title,
    }
    if agent.group_ids:
        arguments["groups"] = list(agent.group_ids)
    return arguments


def group_arguments(group: NewGroup, fallback_member: str | None) -> dict[str, Any]:
    """``create_group`` keywords. LiveChat requires members: an empty group gets the API's
    own login (members join later through ``create_agent(groups=...)``)."""
    members = list(group.agent_ids) or ([fallback_member] if fallback_member else [])
    return {"name": group.name, "agents": members, "language": group.language}


def tag_arguments(tag: NewTag, fallback_author: str | None) -> dict[str, Any]:
    """``create_tag`` keywords: LiveChat requires an author and a group (0: every agent)."""
    return {
        "tag": tag.name,
        "author": tag.author or fallback_author,
        "group": tag.group_id if tag.group_id is not None else 0,
    }


def canned_response_arguments(response: NewCannedResponse) -> dict[str, Any]:
    """``create_canned_response`` keywords."""
    return {"text": response.text, "tags": list(response.tags), "group": response.group_id}


def ticket_arguments(ticket: NewTicket) -> dict[str, Any]:
    """``create_ticket`` keywords."""
    return {
        "message": ticket.message,
        "requester_mail": ticket.requester_email,
        "requester_name": ticket.requester_name,
        "subject": ticket.subject,
        "group": list(ticket.group_ids) or None,
    }
