"""Reports over rollup cells: each costs a few dozen cells whatever the number of
responses. One module a report; the dashboards, the API and the exports share them.
"""

from manyi.analytics.reports.csi import Figure, Report, children_of, csi_report

__all__ = ["Figure", "Report", "children_of", "csi_report"]
