"""The deployment files agree with each other and with the app's own settings."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from deploy import loopback

ROOT = Path(__file__).resolve().parent.parent


def _streamlit_config() -> dict:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())


def test_the_server_states_its_security_settings_explicitly():
    server = _streamlit_config()["server"]
    assert server["enableXsrfProtection"] is True and server["enableCORS"] is True
    assert _streamlit_config()["browser"]["gatherUsageStats"] is False
    from ui.masks import imageio

    # the uploaders ask for no more than the server accepts
    assert imageio.MAX_UPLOAD_BYTES <= server["maxUploadSize"] * 2**20


def test_nginx_body_limit_matches_the_upload_limit_in_both_deployments():
    expected = f"{_streamlit_config()['server']['maxUploadSize'] + 1}m"
    assert loopback.max_body() == expected
    site = loopback.render_site(8080, ["127.0.0.1:1", "127.0.0.1:2"])
    assert re.search(rf"client_max_body_size {expected};", site)
    compose = (ROOT / "deploy" / "compose.yaml").read_text()
    assert f'MAX_BODY: "{expected}"' in compose
    assert "${" not in site  # every placeholder filled in


def test_nginx_accepts_the_generated_configuration(tmp_path):
    if not Path(loopback.NGINX).exists():
        pytest.skip("Debian's nginx is not installed (apt-get install nginx)")
    problem = loopback.write_config(tmp_path, 8080, ["127.0.0.1:1", "127.0.0.1:2"])
    assert problem is None, problem
