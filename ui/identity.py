"""Who is using this page, for the workspace's owners and audit log (see :mod:`geo.workspace.identity`)."""

from __future__ import annotations

import streamlit as st

from geo.workspace.identity import Actor, actor_from_request, command_line_actor

__all__ = ["current_actor", "login_offered", "sign_in_button"]


def _login_name() -> str | None:
    """The name Streamlit's own login (``st.login``) gives, where the app is set up for one."""
    try:
        if st.user.is_logged_in:
            return st.user.get("email") or st.user.get("name")
    except Exception:  # no [auth] section, or no session: nobody logged in
        return None
    return None


def current_actor(shared: bool) -> Actor:
    """The actor of this session: from the trusted proxy's header or the login; on one person's
    GeoPackage (``shared`` false) the account running the app when neither is set up."""
    try:
        headers = dict(st.context.headers)
        # Streamlit gives no address for a connection from this machine, where a proxy usually runs.
        address = st.context.ip_address or "127.0.0.1"
    except Exception:  # no web request (a script run outside a server)
        headers, address = {}, None
    actor = actor_from_request(headers, address, _login_name())
    if actor.known or shared:
        return actor
    return command_line_actor()


def login_offered() -> bool:
    """Is Streamlit's login set up (an ``[auth]`` section in the secrets)?"""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def sign_in_button() -> None:
    """Sign in / out through the team's identity provider, where one is set up."""
    if not login_offered():
        return
    if _login_name():
        st.button("Sign out", key="sign_out", icon=":material/logout:", on_click=st.logout)
    else:
        st.button("Sign in", key="sign_in", icon=":material/login:", on_click=st.login)
