"""One demo store for the brief tests (building it takes a few seconds)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def demo_obs(tmp_path_factory):
    import sahelwatch
    from sahelwatch import demo

    obs = sahelwatch.open(tmp_path_factory.mktemp("brief-demo") / "home")
    demo.build(obs)
    return obs


@pytest.fixture(scope="session")
def aes_en(demo_obs):
    return demo_obs.briefs.build(bloc="AES", period="2023-10", lang="en")


@pytest.fixture(scope="session")
def aes_fr(demo_obs):
    return demo_obs.briefs.build(bloc="AES", period="2023-10", lang="fr")


@pytest.fixture(scope="session")
def aes_en_pdf(aes_en, tmp_path_factory):
    return aes_en.write(tmp_path_factory.mktemp("brief-pdf") / "aes-2023-10-en.pdf")
