"""`cadenza serve`: a Maestro-shaped HTTP API over `cadenza.solve` and the store, with
a live web page of the runs. See `cadenza.server.app` for the routes."""

from cadenza.server.app import create_app
from cadenza.server.config import ServerConfig
from cadenza.server.runs import Limits
from cadenza.server.token import Token, token_for

__all__ = ["Limits", "ServerConfig", "Token", "create_app", "token_for"]
