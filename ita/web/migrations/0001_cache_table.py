"""The cache table (settings.CACHE_TABLE) that holds the rate-limit counters, so that every
worker on every machine counts in the same place. Created under that fixed name even when
ITA_CACHE_DIR moves the cache to files, so switching back needs no step."""

from typing import Any

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "ita_cache"  # = settings.CACHE_TABLE; fixed here, as a migration must not change with settings


def create(apps: Any, schema_editor: Any) -> None:
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []
    operations = [migrations.RunPython(create, drop)]
