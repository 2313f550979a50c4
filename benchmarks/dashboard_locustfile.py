"""The users of benchmarks/dashboard_load.py: staff of the demo network browsing their
home page, the CSI report, the drivers, the case queue and a case, and one bare page."""

import random
import re

from locust import HttpUser, between, task

PEOPLE = ["hq", "region1", "store1", "handler1", "store2", "region2"]
PASSWORD = "manyi-demo"  # noqa: S105 - the published demo logins


class Staff(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.client.get("/login/", name="sign in")
        self.client.post(
            "/login/",
            {
                "username": random.choice(PEOPLE),
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            name="sign in",
        )
        queue = self.client.get("/cases/", name="queue").text
        self.cases = re.findall(r'href="(/cases/\d+/)"', queue)[:20]

    @task(3)
    def home(self) -> None:
        self.client.get("/", name="home")

    @task(2)
    def csi(self) -> None:
        self.client.get("/analytics/", name="CSI")

    @task(1)
    def drivers(self) -> None:
        self.client.get("/analytics/drivers/", name="drivers")

    @task(2)
    def queue(self) -> None:
        self.client.get("/cases/", name="queue")

    @task(2)
    def case(self) -> None:
        if self.cases:
            self.client.get(random.choice(self.cases), name="case")

    @task(1)
    def bare(self) -> None:
        self.client.get("/healthz", name="bare page (/healthz)")
