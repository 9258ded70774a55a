/* Charts on the coordinator's dashboard. The numbers come from json_script elements that the
   view renders; every chart also has a table with the same numbers for screen readers. */
(function () {
  "use strict";

  function readData(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  // Colours with enough contrast against white and against each other (ladder 1 = most say).
  var LADDER_COLOURS = ["#133f44", "#1d5c63", "#3f8a8f", "#c9822b", "#8a5a9e"];
  var HOURS_COLOUR = "#c9822b";
  var EXPERTS_COLOUR = "#1d5c63";
  // Numbers on the axes and in tooltips as the page writes them ("2,5" in Dutch), not in the
  // browser's own language.
  var LOCALE = document.documentElement.lang || "nl";

  function ladderChart() {
    var data = readData("ladder-chart-data");
    var canvas = document.getElementById("ladder-chart");
    if (!data || !canvas) {
      return;
    }
    // One bar per network: let the box grow with the number of networks.
    canvas.parentElement.style.height = Math.max(240, 28 * data.labels.length + 80) + "px";
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (dataset, index) {
          return {
            label: dataset.label,
            data: dataset.data,
            backgroundColor: LADDER_COLOURS[index % LADDER_COLOURS.length],
          };
        }),
      },
      options: {
        locale: LOCALE,
        indexAxis: "y",
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: data.axis } },
          y: { stacked: true },
        },
      },
    });
  }

  function monthlyChart() {
    var data = readData("monthly-chart-data");
    var canvas = document.getElementById("monthly-chart");
    if (!data || !canvas) {
      return;
    }
    canvas.parentElement.style.height = "320px";
    new window.Chart(canvas, {
      data: {
        labels: data.labels,
        datasets: [
          {
            type: "bar",
            label: data.experts_label,
            data: data.experts,
            backgroundColor: EXPERTS_COLOUR,
            yAxisID: "experts",
          },
          {
            type: "line",
            label: data.hours_label,
            data: data.hours,
            borderColor: HOURS_COLOUR,
            backgroundColor: HOURS_COLOUR,
            yAxisID: "hours",
          },
        ],
      },
      options: {
        locale: LOCALE,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          experts: {
            position: "left",
            beginAtZero: true,
            ticks: { precision: 0 },
            title: { display: true, text: data.experts_label },
          },
          hours: {
            position: "right",
            beginAtZero: true,
            grid: { drawOnChartArea: false },
            title: { display: true, text: data.hours_label },
          },
        },
      },
    });
  }

  function start() {
    if (!window.Chart) {
      return;
    }
    ladderChart();
    monthlyChart();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
