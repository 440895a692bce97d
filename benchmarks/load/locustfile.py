"""Locust scenario of collagen-coach: self-carers and practitioners, and the floor.

The people come from the JSON file ``benchmarks/bench_load.py`` seeds (``LOAD_PEOPLE``), each
already signed in: a self-carer has a session cookie and a personal API token, a practitioner a
session cookie. Users wait ``LOAD_WAIT_S`` seconds between requests (default 0: each user sends
its next request as soon as the last is answered, so the server is kept busy).

User classes, chosen by name on locust's command line:

- ``SelfCarer``: the Today page, the coach's Today, the session player, logging a session
  through the API and the API's list of sessions;
- ``Practitioner``: the client list and one client's page;
- ``Floor``, ``Home``, ``ApiList``: one address each (the bare view, the Today page, the API's
  list of sessions), to measure each one's throughput alone.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path
from typing import Any

from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser

PEOPLE: dict[str, Any] = json.loads(Path(os.environ["LOAD_PEOPLE"]).read_text(encoding="utf-8"))
WAIT_S = float(os.environ.get("LOAD_WAIT_S", "0"))
_carers = itertools.cycle(PEOPLE["self_carers"])
_members = itertools.cycle(PEOPLE["practitioners"])


class Person(FastHttpUser):
    abstract = True
    wait_time = constant(WAIT_S)
    cookie: dict[str, str]

    def page(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, headers=self.cookie, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} from {path}")


class CarerUser(Person):
    abstract = True

    def on_start(self) -> None:
        self.person = next(_carers)
        self.cookie = {"Cookie": f"sessionid={self.person['session']}"}
        self.bearer = {"Authorization": f"Bearer {self.person['token']}"}
        self.sessions = f"/api/clients/{self.person['client']}/sessions"

    def api_list(self) -> None:
        with self.client.get(
            self.sessions, name="API sessions list", headers=self.bearer, catch_response=True
        ) as response:
            # The body's start, not the whole parsed: parsing 30 KB of JSON a request would take
            # Locust's share of the two cores the server runs on.
            if response.status_code != 200 or not response.content.startswith(b'{"items": ['):
                response.failure(f"{response.status_code} from the API's list")


class SelfCarer(CarerUser):
    weight = 3

    @task(4)
    def home(self) -> None:
        self.page("/", "Today (home)")

    @task(2)
    def coach_today(self) -> None:
        self.page("/session/today/", "Today (coach)")

    @task(2)
    def player(self) -> None:
        self.page("/session/play/", "session player")

    @task(1)
    def log_session(self) -> None:
        body = {"date": PEOPLE["today"], "pain": False, "redness": False}
        with self.client.post(
            self.sessions,
            name="API log a session",
            json=body,
            headers=self.bearer,
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code} logging a session")

    @task(4)
    def sessions(self) -> None:
        self.api_list()


class Practitioner(Person):
    weight = 1

    def on_start(self) -> None:
        self.cookie = {"Cookie": f"sessionid={next(_members)['session']}"}

    @task(2)
    def client_list(self) -> None:
        self.page("/practice/clients/", "client list")

    @task(1)
    def client_page(self) -> None:
        self.page(f"/practice/clients/{random.choice(PEOPLE['clients'])}/", "a client's page")


class Alone(CarerUser):
    """One page, again and again: ``address`` (its requests named ``name``)."""

    abstract = True
    address = ""
    name = ""

    @task
    def again(self) -> None:
        self.page(self.address, self.name)


class Floor(Alone):
    address, name = "/load/bare/", "bare view (floor)"


class Home(Alone):
    address, name = "/", "Today (home)"


class CoachToday(Alone):
    address, name = "/session/today/", "Today (coach)"


class ApiList(CarerUser):
    @task
    def sessions(self) -> None:
        self.api_list()
