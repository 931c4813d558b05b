"""Exit 0 when the PostgreSQL server in DATABASE_URL answers, 1 otherwise (used by make test)."""

import sys

import dj_database_url
import psycopg


def main(url: str) -> int:
    config = dj_database_url.parse(url)
    try:
        with psycopg.connect(
            host=config["HOST"] or None,
            port=config["PORT"] or None,
            user=config["USER"] or None,
            password=config["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=3,
        ):
            return 0
    except psycopg.Error as error:
        print(f"   ({error.__class__.__name__}: {str(error).strip().splitlines()[0]})")
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
