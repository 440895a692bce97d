/* The progress dashboard's charts (Chart.js 4, loaded before this file).
   The data come from the page's <script type="application/json" id="progress-data">: per series,
   days after one origin, values, the baseline and the noise band (baseline ± MDC). Every chart has
   a table of its numbers in the page, so nothing is lost without JavaScript. */
(function () {
  "use strict";

  var source = document.getElementById("progress-data");
  if (!source || !window.Chart) {
    return;
  }
  var data = JSON.parse(source.textContent);
  // Series measured on the same days share one list of days (data.days); put it back in place.
  Object.keys(data.series).forEach(function (key) {
    data.series[key].days = data.days[data.series[key].days];
  });
  var originMs = Date.parse(data.origin + "T00:00:00Z");
  var DAY_MS = 86400000;
  var INK = "#1b1b1b";
  var LINE = "#0b5563";
  var BAND = "rgba(11, 85, 99, 0.16)";
  var BASELINE = "#4a4a4a";
  var charts = new Map();

  // "3 Nov" over a short span, "Nov 26" (month and year) over a long one, "3 Nov 2026" in full.
  function dayText(day, style) {
    var options = { day: "numeric", month: "short", timeZone: "UTC" };
    if (style === "long-span") {
      options = { month: "short", year: "2-digit", timeZone: "UTC" };
    } else if (style === "full") {
      options.year = "numeric";
    }
    return new Date(originMs + day * DAY_MS).toLocaleDateString(undefined, options);
  }

  function numberText(value, decimals) {
    return Number(value).toFixed(decimals);
  }

  function datasets(series) {
    var first = series.days[0];
    var last = series.days[series.days.length - 1];
    var points = series.days.map(function (day, i) {
      return { x: day, y: series.values[i] };
    });
    var sets = [];
    if (series.band) {
      sets.push({
        label: "band-low",
        data: [{ x: first, y: series.band[0] }, { x: last, y: series.band[0] }],
        borderWidth: 0,
        pointRadius: 0,
        fill: false
      });
      sets.push({
        label: "Noise band (baseline ± MDC)",
        data: [{ x: first, y: series.band[1] }, { x: last, y: series.band[1] }],
        borderWidth: 0,
        pointRadius: 0,
        backgroundColor: BAND,
        fill: "-1"
      });
    }
    if (series.baseline !== null) {
      sets.push({
        label: "Baseline",
        data: [{ x: first, y: series.baseline }, { x: last, y: series.baseline }],
        borderColor: BASELINE,
        borderDash: [6, 5],
        borderWidth: 2,
        pointRadius: 0,
        fill: false
      });
    }
    var many = points.length > 120;
    sets.push({
      label: series.title,
      data: points,
      borderColor: LINE,
      backgroundColor: LINE,
      borderWidth: many ? 1.5 : 2.5,
      pointRadius: many ? 0 : 4,
      pointHoverRadius: 6,
      fill: false
    });
    return sets;
  }

  function draw(canvas) {
    var key = canvas.getAttribute("data-series");
    var series = data.series[key];
    if (!series || charts.has(key) || !series.days.length) {
      return;
    }
    var span = series.days[series.days.length - 1] - series.days[0];
    var chart = new window.Chart(canvas, {
      type: "line",
      data: { datasets: datasets(series) },
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: "nearest", intersect: false },
        scales: {
          x: {
            type: "linear",
            min: series.days[0],
            max: series.days[series.days.length - 1],
            ticks: {
              color: INK,
              maxTicksLimit: canvas.clientWidth < 500 ? 4 : 7,
              maxRotation: 0,
              callback: function (value) {
                return dayText(value, span > 300 ? "long-span" : "short-span");
              }
            }
          },
          y: {
            ticks: { color: INK },
            title: { display: Boolean(series.unit), text: series.unit, color: INK }
          }
        },
        plugins: {
          legend: {
            labels: {
              color: INK,
              boxWidth: 18,
              filter: function (item) {
                return item.text !== "band-low";
              }
            }
          },
          tooltip: {
            filter: function (item) {
              return item.datasetIndex === item.chart.data.datasets.length - 1;
            },
            callbacks: {
              title: function (items) {
                return items.length ? dayText(items[0].parsed.x, "full") : "";
              },
              label: function (item) {
                return numberText(item.parsed.y, series.decimals) + " " + series.unit;
              }
            }
          },
          decimation: { enabled: true, algorithm: "lttb", samples: 400 }
        }
      }
    });
    charts.set(key, chart);
  }

  function drawVisible() {
    document.querySelectorAll("canvas[data-series]").forEach(function (canvas) {
      var card = canvas.closest("[data-series-card]");
      if (!card || !card.hidden) {
        draw(canvas);
      }
    });
  }

  // A chooser shows one series at a time in one card (the photo measures: a card for every
  // zone, side and measure would make a very long page); the table below it lists them all.
  function showInCard(card, key) {
    var series = data.series[key];
    if (!series || !series.words) {
      return;
    }
    var canvas = card.querySelector("canvas[data-series]");
    var old = canvas.getAttribute("data-series");
    if (charts.has(old)) {
      charts.get(old).destroy();
      charts.delete(old);
    }
    canvas.setAttribute("data-series", key);
    card.setAttribute("data-series-card", key);
    var words = series.words;
    card.querySelectorAll("[data-words]").forEach(function (element) {
      var name = element.getAttribute("data-words");
      element.textContent = words[name] || "";
      if (name === "verdict_words") {
        element.className = "badge badge-" + words.verdict;
      }
    });
    canvas.setAttribute(
      "aria-label",
      "Chart of " + words.title + ": " + words.period + ". The shaded band is your baseline ± " +
        "the measurement noise. The numbers are in the table below the chart."
    );
    var list = card.querySelector("[data-caveats]");
    if (list) {
      list.textContent = "";
      [words.caveat, words.light].forEach(function (text) {
        if (text) {
          var item = document.createElement("li");
          item.textContent = text;
          list.appendChild(item);
        }
      });
    }
    draw(canvas);
  }

  document.querySelectorAll("[data-chooser-select]").forEach(function (select) {
    var group = select.getAttribute("data-chooser-select");
    var wrapper = select.closest("[data-chooser]");
    var card = document.querySelector('[data-chooser-group="' + group + '"]');
    if (!card) {
      return;
    }
    if (wrapper) {
      wrapper.hidden = false;
    }
    select.addEventListener("change", function () {
      showInCard(card, select.value);
    });
  });

  drawVisible();
})();
