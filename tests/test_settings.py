from __future__ import annotations

from pathlib import Path

import pytest

from cadenza.errors import UserError
from cadenza.settings import Price, Secret, Settings


def test_keys_come_from_env_over_config_file_and_never_show(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[keys]\nopenai = "sk-file"\nanthropic = "sk-ant-file"\n'
        '[openai]\nbase_url = "http://127.0.0.1:9/v1"\n'
        '[prices."openai:gpt-4.1-mini"]\ninput = 0.4\noutput = 1.6\n'
    )
    settings = Settings.load(env={"OPENAI_API_KEY": "sk-env"}, config_file=config)
    assert settings.key("openai") == "sk-env"
    assert settings.key("anthropic") == "sk-ant-file"
    assert settings.base_urls["openai"] == "http://127.0.0.1:9/v1"
    assert settings.prices["openai:gpt-4.1-mini"] == Price(0.4, 1.6)
    shown = repr(settings) + str(settings)
    assert "sk-env" not in shown and "sk-ant-file" not in shown


def test_secret_hides_itself() -> None:
    secret = Secret("sk-123")
    assert "sk-123" not in f"{secret} {secret!r}"
    assert secret.reveal() == "sk-123"


def test_price_cost_is_per_million_tokens() -> None:
    assert Price(1.0, 2.0).cost(1_000_000, 500_000) == pytest.approx(2.0)


def test_bad_config_file_names_the_file(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[keys\n")
    with pytest.raises(UserError, match="not valid TOML"):
        Settings.load(env={}, config_file=config)
    config.write_text('[prices."openai:x"]\ninput = "cheap"\n')
    with pytest.raises(UserError, match="needs numeric"):
        Settings.load(env={}, config_file=config)
