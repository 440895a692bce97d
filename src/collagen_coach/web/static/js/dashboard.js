/* The progress dashboard's charts (Chart.js 4, loaded before this file).
   The data come from the page's <script type="application/json" id="progress-data">, made by
   SeriesChart.chart_data: per series, one point per day after one origin (the day's mean, with
   the lowest and highest of a day of repeated readings), the baseline, the band of the usual
   day-to-day wobble, the trend, and the axes (range, ticks and their labels). What a chart shows
   and its colours (data.look) are decided once, in reports/chart_look.py, for the report's charts
   too. A series chosen in a chooser that the page does not carry is fetched from data.series_url.
   Every chart has a table of its numbers in the page, so nothing is lost without JavaScript. */
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
  var look = data.look;
  var charts = new Map();

  function numberText(value, decimals) {
    return Number(value).toFixed(decimals);
  }

  function fullDay(day) {
    var options = { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" };
    var ms = Date.parse(data.origin + "T00:00:00Z") + day * 86400000;
    return new Date(ms).toLocaleDateString("en-GB", options);
  }

  function faint(colour, opacity) {
    var n = parseInt(colour.slice(1), 16);
    return "rgba(" + (n >> 16) + ", " + ((n >> 8) & 255) + ", " + (n & 255) + ", " + opacity + ")";
  }

  // A level line across the whole chart, from the x axis' first day to its last.
  function level(series, y) {
    return [{ x: series.x[0], y: y }, { x: series.x[1], y: y }];
  }

  function points(days, values) {
    return days.map(function (day, i) {
      return { x: day, y: values[i] };
    });
  }

  function pointSet(label, days, values, colour, opacity, ranges) {
    var many = days.length > look.many_points;
    return {
      label: label,
      data: points(days, values),
      ranges: ranges,
      borderColor: faint(colour, many ? 0 : 0.45 * opacity),
      backgroundColor: faint(colour, opacity),
      pointBorderWidth: 0,
      borderWidth: 1,
      pointRadius: many ? look.point_radius / 2 : look.point_radius,
      pointHoverRadius: look.point_radius + 2,
      pointStyle: "circle",
      fill: false,
      order: 1
    };
  }

  // Drawn back to front: the band, the baseline, the other side, the trend, the day's points.
  function datasets(series) {
    var sets = [];
    if (series.band) {
      sets.push({
        label: "band-low",
        data: level(series, series.band[0]),
        borderWidth: 0,
        pointRadius: 0,
        fill: false,
        order: 5
      });
      sets.push({
        label: data.key_words.band,
        data: level(series, series.band[1]),
        borderWidth: 0,
        pointRadius: 0,
        backgroundColor: faint(look.band, look.band_opacity),
        pointStyle: "rect",
        fill: "-1",
        order: 5
      });
    }
    if (series.baseline !== null) {
      sets.push({
        label: data.key_words.baseline,
        data: level(series, series.baseline),
        borderColor: look.baseline,
        borderDash: [6, 5],
        borderWidth: 1.5,
        pointRadius: 0,
        pointStyle: "line",
        fill: false,
        order: 4
      });
    }
    if (series.other) {
      var other = series.other;
      sets.push(pointSet(other.label, other.days, other.values, other.colour, 0.4, other.ranges));
    }
    if (series.trend) {
      sets.push({
        label: data.key_words.trend,
        data: series.trend.map(function (end) {
          return { x: end[0], y: end[1] };
        }),
        borderColor: look.trend,
        borderWidth: 2.5,
        pointRadius: 0,
        pointStyle: "line",
        fill: false,
        order: 2
      });
    }
    var own = pointSet(series.label, series.days, series.values, series.colour, 1, series.ranges);
    own.mine = true;
    own.order = 0;
    sets.push(own);
    return sets;
  }

  // A whisker from the lowest to the highest reading of each day of repeated readings.
  var whiskers = {
    id: "whiskers",
    beforeDatasetsDraw: function (chart) {
      var context = chart.ctx;
      var x = chart.scales.x;
      var y = chart.scales.y;
      chart.data.datasets.forEach(function (set) {
        if (!set.ranges || !set.ranges.length) {
          return;
        }
        context.save();
        context.strokeStyle = set.backgroundColor;
        context.globalAlpha = 0.55;
        context.lineWidth = 1.5;
        set.ranges.forEach(function (range) {
          var at = x.getPixelForValue(set.data[range[0]].x);
          context.beginPath();
          context.moveTo(at, y.getPixelForValue(range[1]));
          context.lineTo(at, y.getPixelForValue(range[2]));
          context.stroke();
        });
        context.restore();
      });
    }
  };

  function draw(canvas) {
    var key = canvas.getAttribute("data-series");
    var series = data.series[key];
    if (!series || charts.has(key) || !series.days.length) {
      return;
    }
    var labels = new Map(series.ticks);
    var chart = new window.Chart(canvas, {
      type: "line",
      data: { datasets: datasets(series) },
      plugins: [whiskers],
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
            min: series.x[0],
            max: series.x[1],
            afterBuildTicks: function (axis) {
              // On a phone, every other tick (their labels stay distinct).
              var every = axis.width < 420 && series.ticks.length > 4 ? 2 : 1;
              axis.ticks = series.ticks
                .filter(function (tick, i) {
                  return i % every === 0;
                })
                .map(function (tick) {
                  return { value: tick[0] };
                });
            },
            grid: { display: false },
            ticks: {
              color: look.ink,
              maxRotation: 0,
              callback: function (value) {
                return labels.get(value) || "";
              }
            },
            title: { display: true, text: series.x_label, color: look.ink }
          },
          y: {
            min: series.y[0],
            max: series.y[1],
            grid: { color: look.grid },
            ticks: { color: look.ink, stepSize: series.y[2] },
            title: { display: true, text: series.y_label, color: look.ink }
          }
        },
        plugins: {
          legend: {
            // In the order of the datasets' "order": the day's points first, the band last.
            position: "bottom",
            labels: {
              color: look.ink,
              boxHeight: 8,
              usePointStyle: true,
              filter: function (item) {
                return item.text !== "band-low";
              }
            }
          },
          tooltip: {
            filter: function (item) {
              return Boolean(item.dataset.mine);
            },
            callbacks: {
              title: function (items) {
                return items.length ? fullDay(items[0].parsed.x) : "";
              },
              label: function (item) {
                var text = numberText(item.parsed.y, series.decimals) + " " + series.unit;
                var range = series.ranges.find(function (r) {
                  return r[0] === item.dataIndex;
                });
                if (range) {
                  text += " (" + numberText(range[1], series.decimals) + " to " +
                    numberText(range[2], series.decimals) + ")";
                }
                return text;
              }
            }
          }
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
    canvas.setAttribute("aria-label", words.description);
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

  // Give the chosen series' data: the page's own, or fetched once and kept.
  function fetchSeries(key) {
    if (data.series[key]) {
      return Promise.resolve(data.series[key]);
    }
    var url = data.series_url.replace("series-key", encodeURIComponent(key));
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (answer) {
        if (!answer.ok) {
          throw new Error("answered " + answer.status);
        }
        return answer.json();
      })
      .then(function (series) {
        data.series[key] = series;
        return series;
      });
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
    var shown = select.value;
    var failed = card.querySelector("[data-chart-failed]");
    select.addEventListener("change", function () {
      var key = select.value;
      card.setAttribute("aria-busy", "true");
      fetchSeries(key)
        .then(function () {
          if (select.value === key) {
            shown = key;
            if (failed) {
              failed.hidden = true;
            }
            showInCard(card, key);
          }
        })
        .catch(function () {
          if (select.value === key) {
            select.value = shown;
            if (failed) {
              failed.hidden = false;
            }
          }
        })
        .finally(function () {
          card.removeAttribute("aria-busy");
        });
    });
  });

  drawVisible();
})();
