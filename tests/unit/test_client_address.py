"""Whom the rate limits count behind a reverse proxy: X-Forwarded-For is believed only from a trusted proxy, and
only up to the first hop that is not one (a client can put anything left of that)."""

from __future__ import annotations

import pytest

from services.platform.ratelimit import client_address


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert client_address(peer="203.0.113.9", forwarded_for="198.51.100.1", trusted="") == "203.0.113.9"
    assert client_address(peer=None, forwarded_for="198.51.100.1", trusted="") is None


def test_a_same_host_proxy_connects_without_an_address_and_is_trusted_as_loopback() -> None:
    assert client_address(peer=None, forwarded_for="198.51.100.1", trusted="127.0.0.1") == "198.51.100.1"


def test_a_trusted_proxy_network_passes_on_the_client() -> None:
    assert client_address(peer="10.1.2.3", forwarded_for="198.51.100.7", trusted="10.0.0.0/8") == "198.51.100.7"


def test_a_peer_that_is_not_a_trusted_proxy_is_the_client_whatever_it_sends() -> None:
    assert client_address(peer="203.0.113.9", forwarded_for="198.51.100.1", trusted="10.0.0.0/8") == "203.0.113.9"


def test_a_forged_left_part_does_not_count_the_rightmost_untrusted_hop_does() -> None:
    # The client sent "1.2.3.4" itself; its real address was appended by the first trusted proxy, then a second.
    header = "1.2.3.4, 198.51.100.20, 10.0.0.5"
    assert client_address(peer="10.0.0.6", forwarded_for=header, trusted="10.0.0.0/8") == "198.51.100.20"


def test_a_malformed_hop_stops_the_walk_at_the_proxy() -> None:
    assert client_address(peer="10.0.0.6", forwarded_for="198.51.100.20, not-an-ip", trusted="10.0.0.0/8") == "10.0.0.6"


def test_only_trusted_hops_leave_the_peer() -> None:
    assert client_address(peer="10.0.0.6", forwarded_for="10.0.0.5", trusted="10.0.0.0/8") == "10.0.0.6"
    assert client_address(peer="10.0.0.6", forwarded_for=None, trusted="10.0.0.0/8") == "10.0.0.6"


def test_ipv6_clients_and_proxies() -> None:
    assert client_address(peer="fd00::1", forwarded_for="2001:db8::42", trusted="fd00::/8") == "2001:db8::42"


def test_a_setting_that_is_not_an_address_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="LDAWARD_TRUSTED_PROXIES"):
        client_address(peer="10.0.0.6", forwarded_for="198.51.100.20", trusted="10.0.0.0/8, proxy.local")


def test_the_setting_is_checked_when_the_app_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import ValidationError

    from services.platform.settings import Settings

    monkeypatch.setenv("LDAWARD_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8")
    assert Settings().trusted_proxies == "127.0.0.1, 10.0.0.0/8"
    monkeypatch.setenv("LDAWARD_TRUSTED_PROXIES", "proxy.local")
    with pytest.raises(ValidationError, match="not an IP address or network"):
        Settings()
