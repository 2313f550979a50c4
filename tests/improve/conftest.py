"""The improvement stories' fixtures: a published CSI programme and two months of answers."""

from tests.analytics.report_fixtures import two_months  # noqa: F401
from tests.surveys.fixtures import csi_version, programme  # noqa: F401
