"""The users of benchmarks/dashboard_load.py: staff of the demo network browsing their
home page, the CSI report, the drivers, the case queue and a case, and one bare page.
Each user takes one of the sessions the script signed in (``MANYI_BENCH_SESSIONS``)."""

import json
import os
import random
import re

from locust import HttpUser, between, task

SESSIONS = json.loads(os.environ["MANYI_BENCH_SESSIONS"])


class Staff(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.client.cookies.set("sessionid", SESSIONS[random.choice(sorted(SESSIONS))])
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
