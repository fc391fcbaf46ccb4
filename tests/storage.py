"""What a test sees of the file store, on either backend: the names stored, and a way
to take a file away and put it back (the store briefly unreachable)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from backend.services import storage


class StoredFiles:
    def __init__(self, app: Flask):
        self.app = app

    @property
    def store(self) -> storage.Storage:
        return storage.from_config(self.app.config)

    def names(self) -> set[str]:
        store = self.store
        if isinstance(store, storage.LocalStorage):
            return {p.name for p in Path(store.root).rglob("*") if p.is_file()}
        listed = store.client.list_objects_v2(Bucket=store.bucket, Prefix=store.prefix)
        return {item["Key"].removeprefix(store.prefix) for item in listed.get("Contents", [])}

    def read(self, key: str) -> bytes:
        with self.store.open(key) as stream:
            return stream.read()

    def take(self, key: str) -> bytes:
        """Remove the file and return what it held."""
        data = self.read(key)
        self.store.delete(key)
        return data

    def put(self, key: str, data: bytes) -> None:
        self.store.write(key, data)
