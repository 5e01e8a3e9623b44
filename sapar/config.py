"""Typed settings, from the environment (SAPAR_*) or a .env file, with embedded defaults."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SAPAR_", env_file=".env", extra="ignore")

    var_dir: Path = Path("var")
    # The app's own database; Prefect keeps its own, separately.
    database_url: str = "sqlite:///var/sapar.db"
    files_dir: Path = Path("var/files")
    timezone: str = "Asia/Bishkek"
    default_language: str = "ky"
    # Regulation settings with documented defaults live in states.policy.Policy; a JSON file
    # here overrides them (see README, "Settings the regulation leaves open").
    policy_file: Path | None = None


@lru_cache
def get_settings() -> Settings:
    return Settings()
