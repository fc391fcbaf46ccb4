"""The libraries that read hostile files are new enough (docs/reliability.md), and
storage never turns text into a path."""

import io

import PIL
import pillow_heif
import pytest
from packaging.version import Version

from backend.errors import PayloadTooLarge
from backend.services import storage
from backend.services.storage import LocalStorage


def test_pillow_is_at_least_12_3_with_its_decoder_fixes():
    assert Version(PIL.__version__) >= Version("12.3.0")


def test_pillow_heif_and_libheif_are_at_least_the_patched_releases():
    assert Version(pillow_heif.__version__) >= Version("1.8.1")
    assert Version(pillow_heif.libheif_info()["libheif"]) >= Version("1.23.6")


@pytest.mark.parametrize(
    "key",
    ["../etc/passwd", "0" * 32 + "/x", "身份证.jpg", "0" * 31 + ".original", "0" * 32 + ".a.b.c"],
)
def test_storage_refuses_anything_but_its_own_keys(tmp_path, key):
    with pytest.raises(ValueError):
        LocalStorage(tmp_path).save(key, io.BytesIO(b"x"), 10)


def test_storage_writes_whole_files_under_the_root(tmp_path):
    storage = LocalStorage(tmp_path)
    key = "ab" + "0" * 30 + ".original"
    assert storage.save(key, io.BytesIO(b"photo"), 10) == 5
    assert (tmp_path / "ab" / key).read_bytes() == b"photo"
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [key]


def test_the_s3_store_refuses_anything_but_its_own_keys(s3_settings):
    store = storage.from_config(s3_settings)
    for key in ["../etc/passwd", "0" * 32 + "/x", "身份证.jpg"]:
        with pytest.raises(ValueError):
            store.write(key, b"x")


def test_the_s3_store_keeps_objects_under_its_prefix_and_reads_them_back(s3_settings):
    store = storage.from_config(s3_settings)
    key = "ab" + "0" * 30 + ".original"
    assert store.save(key, io.BytesIO(b"photo"), 10) == 5
    listed = store.client.list_objects_v2(Bucket=store.bucket, Prefix=store.prefix)
    assert [item["Key"] for item in listed["Contents"]] == [store.prefix + key]
    assert store.prefix == s3_settings["STORAGE_URL"].rsplit("/", 1)[1] + "/"
    with store.local_path(key) as path:
        assert path.read_bytes() == b"photo"
    store.delete(key)
    with pytest.raises(FileNotFoundError):
        store.open(key)


def test_an_oversized_upload_leaves_no_object_in_the_s3_store(s3_settings):
    store = storage.from_config(s3_settings)
    key = "cd" + "0" * 30 + ".original"
    with pytest.raises(PayloadTooLarge):
        store.save(key, io.BytesIO(b"x" * 11), 10)
    with pytest.raises(FileNotFoundError):
        store.open(key)
