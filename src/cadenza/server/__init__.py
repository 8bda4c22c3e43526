"""`cadenza serve`: a Maestro-shaped HTTP API over `cadenza.solve` and the store, with
a live web page of the runs. The routes are in `cadenza.server.app` (`create_app`);
`cadenza.server.serving` runs them with uvicorn. Importing this package alone does
not import the web framework."""

from cadenza.server.config import ServerConfig
from cadenza.server.runs import Limits
from cadenza.server.token import Token, token_for

__all__ = ["Limits", "ServerConfig", "Token", "token_for"]
