"""Who is changing the workspace: an :class:`Actor`, the admins named in configuration, and the rules
of who may change what.

On the single-user GeoPackage (the default) everyone who can run the app may change everything,
and the actor is only recorded. On a team store (PostGIS) each dataset has an owner, the one who
imported it: only the owner or an admin renames, deletes or restores it; others see and use it;
with no identity the store is read-only.

Identity comes from outside the app, never from a form:

- the reverse proxy a team runs in front of the app, through a header it sets
  (``SAHEL_ATLAS_TRUSTED_HEADER``, e.g. ``X-Forwarded-User``), trusted only when that setting is
  made and only from the proxy's addresses (``SAHEL_ATLAS_TRUSTED_PROXIES``, by default 127.0.0.1
  and ::1): anyone else could send the header too;
- Streamlit's own login (``st.login``, OpenID Connect) where a team has an identity provider;
- on the command line, the account running it.

Admins are named in ``SAHEL_ATLAS_ADMINS`` (comma-separated identities).
"""

from __future__ import annotations

import getpass
import ipaddress
import os
from dataclasses import dataclass
from typing import Mapping

__all__ = [
    "ADMINS_VARIABLE",
    "HEADER_VARIABLE",
    "PROXIES_VARIABLE",
    "Actor",
    "admins",
    "actor_from_request",
    "command_line_actor",
]

ADMINS_VARIABLE = "SAHEL_ATLAS_ADMINS"
HEADER_VARIABLE = "SAHEL_ATLAS_TRUSTED_HEADER"
PROXIES_VARIABLE = "SAHEL_ATLAS_TRUSTED_PROXIES"
IDENTITY_LIMIT = 200  # characters: longer is not a name a proxy sets


@dataclass(frozen=True)
class Actor:
    """Someone changing the workspace: ``name`` empty when nobody is known."""

    name: str = ""
    admin: bool = False
    via: str = ""  # how the name is known: "proxy", "login", "account"

    @property
    def known(self) -> bool:
        return bool(self.name)

    def may_change(self, owner: str, shared: bool) -> bool:
        """May this actor rename, delete or restore a dataset that ``owner`` imported?"""
        if not shared:
            return True
        return self.known and (self.admin or owner == self.name)

    def __str__(self) -> str:
        return self.name or "nobody known"


def admins(environ: Mapping[str, str] | None = None) -> frozenset[str]:
    environ = os.environ if environ is None else environ
    return frozenset(name.strip() for name in environ.get(ADMINS_VARIABLE, "").split(",") if name.strip())


def _clean_identity(value) -> str:
    """A header's or login's identity, or "" when it is not a plausible name."""
    if not isinstance(value, str):
        return ""
    value = value.strip()
    if (
        not value
        or len(value) > IDENTITY_LIMIT
        or any(ord(character) < 32 or ord(character) == 127 for character in value)
    ):
        return ""
    return value


def _trusted_proxies(environ: Mapping[str, str]) -> list:
    listed = environ.get(PROXIES_VARIABLE, "127.0.0.1,::1")
    networks = []
    for part in listed.split(","):
        part = part.strip()
        if part:
            try:
                networks.append(ipaddress.ip_network(part, strict=False))
            except ValueError:
                continue  # a typo trusts nothing more
    return networks


def _from_trusted_proxy(address: str | None, environ: Mapping[str, str]) -> bool:
    if not address:
        return False
    try:
        client = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    return any(client in network for network in _trusted_proxies(environ))


def actor_from_request(
    headers: Mapping[str, str] | None,
    address: str | None,
    login_name: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Actor:
    """The actor of one web request: the trusted header when configured and sent by a trusted proxy,
    else the OpenID login's name, else nobody (an empty name)."""
    environ = os.environ if environ is None else environ
    header = environ.get(HEADER_VARIABLE, "").strip()
    if header and headers is not None and _from_trusted_proxy(address, environ):
        wanted = header.casefold()
        value = next((value for key, value in headers.items() if key.casefold() == wanted), None)
        name = _clean_identity(value)
        if name:
            return Actor(name, admin=name in admins(environ), via="proxy")
    name = _clean_identity(login_name)
    if name:
        return Actor(name, admin=name in admins(environ), via="login")
    return Actor()


def command_line_actor(environ: Mapping[str, str] | None = None) -> Actor:
    """The account running the command line (or the app on one user's machine)."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = ""
    name = _clean_identity(name)
    return Actor(name, admin=name in admins(environ), via="account") if name else Actor()
