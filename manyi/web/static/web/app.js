// manyi's one script: charts from json_script data, the phone menu toggle, progress bars.
(function () {
  "use strict";

  // Ticks on round numbers of the index scale, a handful of them whatever the range.
  function tickStep(range) {
    return range <= 100 ? 25 : range <= 400 ? 50 : range <= 800 ? 100 : 200;
  }

  function chartOption(kind, data) {
    if (kind === "csi-trend") {
      var band = data.high.map(function (high, i) {
        return high === null || data.low[i] === null ? null : high - data.low[i];
      });
      var axis = Object.assign({}, data.axis || {});
      if (data.target != null && axis.min !== undefined) {
        // Keep the target line on the chart, on a round number of the scale.
        axis.min = Math.min(axis.min, Math.floor((data.target - 25) / 50) * 50);
        axis.max = Math.max(axis.max, Math.ceil((data.target + 25) / 50) * 50);
      }
      var targetLine = data.target == null ? undefined : {
        silent: true, symbol: "none", lineStyle: { type: "dashed", color: "#d63939" },
        label: { formatter: data.labels.target + " " + data.target, position: "insideEndTop" },
        data: [{ yAxis: data.target }],
      };
      return {
        animation: false,
        tooltip: {
          trigger: "axis",
          formatter: function (points) {
            var i = points[0].dataIndex, value = data.index[i], thin = data.thin_true[i];
            var lines = [data.months[i]];
            if (value !== null) lines.push(data.labels.index + ": " + value);
            if (thin !== null) lines.push(data.labels.thin + ": " + thin);
            if (data.low[i] !== null) lines.push(data.low[i] + " – " + data.high[i]);
            lines.push("n = " + data.n[i]);
            return lines.join("<br>");
          },
        },
        legend: { top: 0, data: [data.labels.index, data.labels.interval, data.labels.thin] },
        grid: { left: 48, right: 16, bottom: 32, top: 40 },
        xAxis: { type: "category", data: data.months },
        yAxis: { type: "value", min: axis.min, max: axis.max, scale: axis.min === undefined,
                 interval: axis.min === undefined ? undefined : tickStep(axis.max - axis.min) },
        series: [
          { name: data.labels.interval, type: "line", stack: "band", data: data.low,
            lineStyle: { opacity: 0 }, symbol: "none", color: "#206bc4" },
          { name: data.labels.interval, type: "line", stack: "band", data: band,
            lineStyle: { opacity: 0 }, areaStyle: { opacity: 0.15 }, symbol: "none",
            color: "#206bc4" },
          { name: data.labels.index, type: "line", data: data.index, connectNulls: false,
            symbol: "circle", symbolSize: 7, color: "#206bc4", markLine: targetLine },
          { name: data.labels.thin, type: "scatter", data: data.thin, symbol: "emptyCircle",
            symbolSize: 9, itemStyle: { color: "#9aa0ac" } },
        ],
      };
    }
    if (kind === "pareto") {
      return {
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { top: 0, data: [data.labels.count, data.labels.cumulative] },
        grid: { left: 40, right: 48, bottom: 64, top: 40 },
        xAxis: { type: "category", data: data.causes,
                 axisLabel: { interval: 0, rotate: 30, width: 90, overflow: "truncate" } },
        yAxis: [{ type: "value", minInterval: 1 },
                { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value} %" },
                  splitLine: { show: false } }],
        series: [
          { name: data.labels.count, type: "bar", data: data.counts },
          { name: data.labels.cumulative, type: "line", yAxisIndex: 1, data: data.cumulative,
            markLine: { symbol: "none", silent: true, lineStyle: { type: "dashed" },
                        data: [{ yAxis: 80 }] } },
        ],
      };
    }
    if (kind === "factor-bars") {
      // A dot per figure on an axis fitted to the figures: a 16-point gap between the
      // unit and the network shows, where bars from zero to 1,000 would hide it.
      var values = data.unit.concat(data.network).filter(function (v) { return v !== null; });
      var low = values.length ? Math.max(0, Math.floor((Math.min.apply(null, values) - 25) / 50) * 50) : 0;
      var compared = data.network.some(function (v) { return v !== null; });
      var high = values.length ? Math.min(1000, Math.ceil((Math.max.apply(null, values) + 25) / 50) * 50) : 1000;
      return {
        animation: false,
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { top: 0, data: compared ? [data.labels.unit, data.labels.network] : [data.labels.unit] },
        grid: { left: 110, right: 24, bottom: 24, top: 40 },
        xAxis: { type: "value", min: low, max: high, interval: tickStep(high - low) },
        yAxis: { type: "category", data: data.factors, inverse: true,
                 axisLabel: { width: 100, overflow: "truncate" } },
        series: [
          { name: data.labels.unit, type: "scatter", data: data.unit, symbolSize: 14,
            color: "#206bc4" },
        ].concat(compared ? [
          { name: data.labels.network, type: "scatter", data: data.network, symbol: "diamond",
            symbolSize: 12, itemStyle: { color: "#9aa0ac" } },
        ] : []),
      };
    }
    if (kind === "ipa-scatter") {
      // One series per quadrant, so the legend is the colour key.
      var colours = { concentrate_here: "#d63939", keep_up: "#2fb344",
                      low_priority: "#f59f00", possible_overkill: "#4299e1" };
      var quadrants = ["concentrate_here", "keep_up", "low_priority", "possible_overkill"];
      var lines = data.split === null ? undefined : {
        silent: true, symbol: "none", label: { show: false },
        lineStyle: { type: "dashed", color: "#9aa0ac" },
        data: [{ yAxis: data.split }, { xAxis: data.performance_split }],
      };
      return {
        animation: false,
        tooltip: { formatter: function (p) {
          return p.data.name + "<br>" + data.labels.performance + " " + p.data.value[0] +
            " · " + data.labels.importance + " " + p.data.value[1] + " %<br>" + p.seriesName;
        } },
        legend: { top: 0, data: quadrants.map(function (q) { return data.quadrants[q]; }) },
        grid: { left: 64, right: 24, bottom: 48, top: 56 },
        xAxis: { type: "value", scale: true, name: data.labels.performance,
                 nameLocation: "middle", nameGap: 28 },
        yAxis: { type: "value", scale: true, name: data.labels.importance + " (%)",
                 nameLocation: "middle", nameGap: 44 },
        series: quadrants.map(function (q) {
          return {
            name: data.quadrants[q], type: "scatter", symbolSize: 12,
            itemStyle: { color: colours[q] },
            data: data.points.filter(function (p) { return p.quadrant === q; })
              .map(function (p) { return { name: p.name, value: p.value }; }),
          };
        }).concat([{ type: "scatter", data: [], silent: true, markLine: lines }]),
      };
    }
    if (kind === "three-s") {
      // Employee beside customer satisfaction per store, with the least-squares line.
      return {
        animation: false,
        tooltip: { formatter: function (p) {
          return p.data.name ? p.data.name + "<br>" + data.labels.es + " " + p.data.value[0] +
            " · " + data.labels.cs + " " + p.data.value[1] + "<br>n = " + p.data.n : "";
        } },
        grid: { left: 56, right: 24, bottom: 48, top: 24 },
        xAxis: { type: "value", scale: true, name: data.labels.es, nameLocation: "middle",
                 nameGap: 28 },
        yAxis: { type: "value", scale: true, name: data.labels.cs, nameLocation: "middle",
                 nameGap: 40 },
        series: [
          { type: "scatter", symbolSize: 12, color: "#206bc4", data: data.points },
          { type: "line", data: data.fit, symbol: "none", silent: true,
            lineStyle: { type: "dashed", color: "#9aa0ac" } },
        ],
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
    if (kind === "share-trend") {
      // Shares from 0 to 100 %: the axis keeps its whole range, so a dip reads true.
      return {
        animation: false,
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null ? "—" : v + " %"; } },
        grid: { left: 48, right: 16, bottom: 32, top: 16 },
        xAxis: { type: "category", data: data.months },
        yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value} %" } },
        series: [{ name: data.labels.share, type: "line", data: data.share, connectNulls: false,
                   symbol: "circle", symbolSize: 7, color: "#206bc4" }],
      };
    }
    if (kind === "paired-bars") {
      return {
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { top: 0, data: [data.labels.first, data.labels.second] },
        grid: { left: 40, right: 16, bottom: 24, top: 40 },
        xAxis: { type: "category", data: data.groups },
        yAxis: { type: "value" },
        series: [
          { name: data.labels.first, type: "bar", data: data.first, color: "#206bc4" },
          { name: data.labels.second, type: "bar", data: data.second, color: "#9aa0ac" },
        ],
      };
    }
    if (kind === "placebo-strip") {
      // Each comparable unit's own estimate as a grey dot, their 5–95 % range shaded, the
      // action's estimate in red: credited only when it stands outside the shade.
      var spread = data.placebos.map(function (p) { return p.value; }).concat([data.estimate, 0]);
      var reach = Math.max.apply(null, spread.map(Math.abs)) * 1.1 || 1;
      var step = reach > 200 ? 100 : reach > 80 ? 50 : reach > 40 ? 20 : reach > 20 ? 10 : 5;
      reach = Math.ceil(reach / step) * step;
      return {
        animation: false,
        tooltip: { trigger: "item", formatter: function (p) { return p.name + ": " + p.value[0]; } },
        legend: { top: 0, data: [data.labels.placebo, data.labels.estimate] },
        grid: { left: 16, right: 16, bottom: 32, top: 40 },
        xAxis: { type: "value", min: -reach, max: reach, interval: step },
        yAxis: { type: "value", show: false, min: -1, max: 1 },
        series: [
          { name: data.labels.placebo, type: "scatter", symbolSize: 10, itemStyle: { color: "#9aa0ac" },
            data: data.placebos.map(function (p, i) {
              return { name: p.name, value: [p.value, ((i % 5) - 2) * 0.15] };
            }),
            markArea: data.band ? { silent: true, itemStyle: { color: "rgba(154,160,172,0.18)" },
                                    data: [[{ xAxis: data.band[0] }, { xAxis: data.band[1] }]] } : undefined,
            markLine: { silent: true, symbol: "none", lineStyle: { color: "#9aa0ac", type: "dashed" },
                        label: { show: false }, data: [{ xAxis: 0 }] } },
          { name: data.labels.estimate, type: "scatter", symbol: "diamond", symbolSize: 18,
            itemStyle: { color: "#d63939" },
            data: [{ name: data.labels.estimate, value: [data.estimate, 0] }] },
        ],
      };
    }
    if (kind === "pre-trend") {
      return {
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { top: 0, data: [data.labels.unit, data.labels.others] },
        grid: { left: 48, right: 16, bottom: 32, top: 40 },
        xAxis: { type: "category", data: data.months },
        yAxis: { type: "value", scale: true },
        series: [
          { name: data.labels.unit, type: "line", data: data.unit, color: "#d63939", symbolSize: 7,
            markArea: { silent: true, itemStyle: { color: "rgba(32,107,196,0.07)" },
                        label: { position: "insideTop", color: "#667382" },
                        data: [[{ name: data.labels.before, xAxis: data.before[0] }, { xAxis: data.before[1] }],
                               [{ name: data.labels.after, xAxis: data.after[0] }, { xAxis: data.after[1] }]] } },
          { name: data.labels.others, type: "line", data: data.others, color: "#9aa0ac", symbolSize: 7 },
        ],
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

  // The values a form's field "name" has now: a select's choice, the ticked boxes.
  function valuesOf(form, name) {
    var inputs = form.querySelectorAll("[name='" + name + "']");
    return Array.prototype.filter.call(inputs, function (input) {
      return (input.type !== "checkbox" && input.type !== "radio") || input.checked;
    }).map(function (input) { return input.value; });
  }

  // A field marked data-show-when="other:a,b" shows only while "other" is a or b.
  function showDependentFields(form) {
    form.querySelectorAll("[data-show-when]").forEach(function (field) {
      var rule = field.dataset.showWhen.split(":"), wanted = rule[1].split(",");
      field.hidden = !valuesOf(form, rule[0]).some(function (value) {
        return wanted.indexOf(value) !== -1;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts(document);
    setProgress(document);
    document.querySelectorAll("form").forEach(function (form) {
      if (!form.querySelector("[data-show-when]")) return;
      showDependentFields(form);
      form.addEventListener("change", function () { showDependentFields(form); });
    });
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
