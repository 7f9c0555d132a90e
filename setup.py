"""Package discovery that pyproject.toml cannot say on its own.

Alembic's migrations stay at the top of the repository, where alembic and
contributors expect them, and ship inside the wheel as the package
``bot.migrations``, so an installed myplan finds them from any directory
(bot/db/migrate.py). Everything else is in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

setup(
    # Namespace discovery, as pyproject's find did: bot/blocks has no __init__.py.
    packages=[
        *find_namespace_packages(include=["bot", "bot.*"], exclude=["*__pycache__*"]),
        "bot.migrations",
    ],
    package_dir={"bot.migrations": "migrations"},
)
