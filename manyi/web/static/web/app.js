// manyi's one script: charts from json_script data, the phone menu toggle, progress bars.
(function () {
  "use strict";

  function chartOption(kind, data) {
    if (kind === "events-by-month") {
      return {
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { top: 0, data: [data.labels.events, data.labels.revenue] },
        grid: { left: 56, right: 80, bottom: 32, top: 40 },
        xAxis: { type: "category", data: data.months },
        yAxis: [{ type: "value" }, { type: "value", splitLine: { show: false } }],
        series: [
          { name: data.labels.events, type: "bar", data: data.events },
          { name: data.labels.revenue, type: "line", yAxisIndex: 1, data: data.revenue },
        ],
      };
    }
    if (kind === "tiers") {
      return {
        animation: false,
        tooltip: { trigger: "item" },
        legend: { bottom: 0 },
        series: [{
          name: data.labels.tiers, type: "pie", radius: ["35%", "65%"], center: ["50%", "42%"],
          label: { show: false }, data: data.tiers,
        }],
      };
    }
    if (kind === "csi-trend") {
      var band = data.high.map(function (high, i) {
        return high === null || data.low[i] === null ? null : high - data.low[i];
      });
      return {
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { top: 0, data: [data.labels.index, data.labels.interval] },
        grid: { left: 48, right: 16, bottom: 32, top: 40 },
        xAxis: { type: "category", data: data.months },
        yAxis: { type: "value", scale: true },
        series: [
          { name: data.labels.interval, type: "line", stack: "band", data: data.low,
            lineStyle: { opacity: 0 }, symbol: "none" },
          { name: data.labels.interval, type: "line", stack: "band", data: band,
            lineStyle: { opacity: 0 }, areaStyle: { opacity: 0.15 }, symbol: "none" },
          { name: data.labels.index, type: "line", data: data.index, connectNulls: false },
        ],
      };
    }
    if (kind === "factor-bars") {
      return {
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { top: 0, data: [data.labels.unit, data.labels.network] },
        grid: { left: 110, right: 16, bottom: 24, top: 40 },
        xAxis: { type: "value", min: 0, max: 1000 },
        yAxis: { type: "category", data: data.factors },
        series: [
          { name: data.labels.unit, type: "bar", data: data.unit },
          { name: data.labels.network, type: "bar", data: data.network },
        ],
      };
    }
    if (kind === "ipa-scatter") {
      var colours = { concentrate_here: "#d63939", keep_up: "#2fb344",
                      low_priority: "#f59f00", possible_overkill: "#4299e1" };
      return {
        animation: false,
        tooltip: { formatter: function (p) {
          return p.data.name + "<br>" + data.labels.performance + " " + p.data.value[0] +
            " · " + data.labels.importance + " " + p.data.value[1] + " %<br>" +
            data.quadrants[p.data.quadrant];
        } },
        grid: { left: 56, right: 24, bottom: 48, top: 24 },
        xAxis: { type: "value", scale: true, name: data.labels.performance,
                 nameLocation: "middle", nameGap: 28 },
        yAxis: { type: "value", scale: true, name: data.labels.importance + " %" },
        series: [{
          type: "scatter", symbolSize: 12,
          data: data.points.map(function (p) {
            return { name: p.name, value: p.value, quadrant: p.quadrant,
                     itemStyle: { color: colours[p.quadrant] } };
          }),
          markLine: data.split === null ? undefined : {
            silent: true, symbol: "none", lineStyle: { type: "dashed" },
            data: [{ yAxis: data.split }, { xAxis: data.performance_split }],
          },
        }],
      };
    }
    if (kind === "nps-trend") {
      return {
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 48, right: 48, bottom: 32, top: 40 },
        xAxis: { type: "category", data: data.months },
        yAxis: [{ type: "value" }, { type: "value", min: -100, max: 100, splitLine: { show: false } }],
        series: [
          { name: data.labels.promoters, type: "bar", stack: "split", data: data.promoters,
            itemStyle: { color: "#2fb344" } },
          { name: data.labels.passives, type: "bar", stack: "split", data: data.passives,
            itemStyle: { color: "#adb5bd" } },
          { name: data.labels.detractors, type: "bar", stack: "split", data: data.detractors,
            itemStyle: { color: "#d63939" } },
          { name: data.labels.nps, type: "line", yAxisIndex: 1, data: data.nps },
        ],
      };
    }
    if (kind === "gap-bars") {
      return {
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 90, right: 16, bottom: 24, top: 40 },
        xAxis: { type: "value" },
        yAxis: { type: "category", data: data.dimensions },
        series: [{ name: data.labels.gap, type: "bar", data: data.gap }].concat(
          data.network.length ? [{ name: data.labels.network, type: "bar", data: data.network }] : []
        ),
      };
    }
    if (kind === "funnel") {
      return {
        animation: false,
        tooltip: { trigger: "item" },
        series: [{
          type: "funnel", sort: "none", left: 8, right: 8, top: 8, bottom: 8, gap: 2,
          label: { position: "inside" },
          data: data.steps.map(function (step, i) { return { name: step, value: data.counts[i] }; }),
        }],
      };
    }
    return null;
  }

  function drawCharts(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.source);
      if (!source) return;
      var option = chartOption(el.dataset.chart, JSON.parse(source.textContent));
      if (!option) return;
      var chart = window.echarts.init(el);
      chart.setOption(option);
      el.dataset.ready = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  function setProgress(root) {
    root.querySelectorAll("[data-progress]").forEach(function (el) {
      el.style.width = el.dataset.progress + "%";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts(document);
    setProgress(document);
    document.querySelectorAll("[data-toggle-target]").forEach(function (button) {
      button.addEventListener("click", function () {
        document.querySelector(button.dataset.toggleTarget).classList.toggle("show");
      });
    });
    // A menu of the top bar closes when the user clicks anywhere else.
    document.addEventListener("click", function (event) {
      document.querySelectorAll("details.nav-details[open]").forEach(function (menu) {
        if (!menu.contains(event.target)) menu.removeAttribute("open");
      });
    });
    document.querySelectorAll("[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      });
    });
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    setProgress(event.target);
  });
})();
