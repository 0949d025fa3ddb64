/*
 * The dashboard's pages: link, host and live. Reads the JSON API of the same server (relative URLs, so the
 * dashboard works under any base path), draws with uPlot, shows human units as the command line does and times in
 * the browser's zone with UTC in the tooltip. No external resource: everything comes from the server.
 */
(function () {
  "use strict";

  var BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
  var RATE_UNITS = ["bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s"];
  var charts = {};
  window.trafficCharts = charts;

  // the units of the command line's tables (HumanUnits)
  function bytes(n) {
    if (n < 1024) { return n + " B"; }
    var v = n, u = 0;
    while (v >= 1024 && u < BYTE_UNITS.length - 1) { v /= 1024; u++; }
    return v.toFixed(1) + " " + BYTE_UNITS[u];
  }
  function rate(bps) {
    var v = bps, u = 0;
    while (v >= 1000 && u < RATE_UNITS.length - 1) { v /= 1000; u++; }
    return u === 0 ? v.toFixed(0) + " " + RATE_UNITS[u] : v.toFixed(2) + " " + RATE_UNITS[u];
  }
  function count(n) {
    if (n < 10000) { return String(n); }
    if (n < 10000000) { return (n / 1e3).toFixed(1) + "k"; }
    return (n / 1e6).toFixed(1) + "M";
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) { Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); }); }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }
  function timeCell(iso) {
    var d = new Date(iso);
    return el("td", { title: iso + " (UTC)", "data-utc": iso }, d.toLocaleString());
  }
  function numCell(text, raw) {
    var attrs = { "class": "num" };
    if (raw !== undefined) { attrs["data-value"] = String(raw); }
    return el("td", attrs, text);
  }
  function barCell(value, max) {
    var td = el("td", { "class": "bar" });
    var span = el("span");
    span.style.width = (max > 0 ? Math.max(1, Math.round(100 * value / max)) : 0) + "%";
    td.appendChild(span);
    return td;
  }
  function hostLink(host) {
    // the host's page opens on the range shown here
    var a = el("a", { href: "host" + query(Object.assign({ ip: host }, currentRange())), "class": "host-link" }, host);
    return a;
  }

  function showError(message) {
    var p = document.getElementById("error");
    if (!p) { return; }
    p.hidden = !message;
    p.textContent = message || "";
  }

  function api(path) {
    return fetch(path, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) { throw new Error(body.error || ("HTTP " + r.status)); }
          return body;
        });
      });
  }

  function query(params) {
    var parts = [];
    Object.keys(params).forEach(function (k) {
      if (params[k] !== null && params[k] !== undefined && params[k] !== "") {
        parts.push(encodeURIComponent(k) + "=" + encodeURIComponent(params[k]));
      }
    });
    return parts.length ? "?" + parts.join("&") : "";
  }

  // ----- range selection, kept in the page's query string so a range can be linked to

  var STEPS = [1, 5, 10, 30, 60, 300, 600, 900, 1800, 3600, 10800, 21600, 43200, 86400, 604800];
  var MAX_POINTS = 1500;

  function currentRange() {
    var p = new URLSearchParams(location.search);
    if (p.get("from") || p.get("to")) { return { from: p.get("from"), to: p.get("to") }; }
    return { last: p.has("last") ? p.get("last") : "1h" };
  }
  function setRange(range) {
    var p = new URLSearchParams(location.search);
    ["last", "from", "to"].forEach(function (k) { p.delete(k); });
    Object.keys(range).forEach(function (k) { if (range[k] !== null && range[k] !== undefined) { p.set(k, range[k]); } });
    history.replaceState(null, "", location.pathname + "?" + p.toString());
  }
  function parseSeconds(text) {
    var m = /^(\d+)(s|m|h|d)$/.exec(text || "");
    if (!m) { return null; }
    return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2]];
  }
  // the finest step kept that still gives a readable number of points
  function stepFor(seconds, finest) {
    for (var i = 0; i < STEPS.length; i++) {
      if (STEPS[i] >= finest && Math.ceil(seconds / STEPS[i]) <= MAX_POINTS) { return STEPS[i] + "s"; }
    }
    return "7d";
  }
  function rangeSeconds(range, status) {
    if (range.last) { return parseSeconds(range.last); }
    var end = range.to ? Date.parse(range.to + (/Z$/.test(range.to) ? "" : "Z")) : Date.parse(status.end);
    var start = range.from ? Date.parse(range.from + (/Z$/.test(range.from) ? "" : "Z")) : Date.parse(status.start);
    return Math.max(1, (end - start) / 1000);
  }
  function toUtcText(localValue) {
    return localValue ? new Date(localValue).toISOString().replace(/\.000Z$/, "Z") : null;
  }

  function setupRanges(onChange) {
    var buttons = document.querySelectorAll("#ranges button[data-last]");
    var range = currentRange();
    buttons.forEach(function (b) {
      if (range.last !== undefined && b.getAttribute("data-last") === range.last) { b.classList.add("current"); }
      b.addEventListener("click", function () {
        buttons.forEach(function (o) { o.classList.remove("current"); });
        b.classList.add("current");
        setRange({ last: b.getAttribute("data-last") });
        onChange();
      });
    });
    document.getElementById("apply-custom").addEventListener("click", function () {
      buttons.forEach(function (o) { o.classList.remove("current"); });
      setRange({ from: toUtcText(document.getElementById("from").value),
        to: toUtcText(document.getElementById("to").value) });
      onChange();
    });
  }

  function describeRange(doc) {
    var t = document.getElementById("range-text");
    if (!t) { return; }
    if (!doc.from) { t.textContent = "the store holds no traffic yet"; t.title = ""; return; }
    t.textContent = new Date(doc.from).toLocaleString() + " .. " + new Date(doc.to).toLocaleString();
    t.title = doc.from + " .. " + doc.to + " (UTC)";
  }

  // ----- the 95th percentile of 5-minute rates (api/percentile)

  // the range shown as the percentile's period: "all" is everything stored, not the API's default month
  function percentileRange(range, status) {
    if (range.last === "" && !range.from && !range.to) { return { from: status.start }; }
    return range;
  }
  function byDirection(doc) {
    var rows = {};
    doc.rows.forEach(function (row) { rows[row.direction] = row; });
    return rows;
  }
  function percentileText(doc) {
    if (!doc.samples) { return "no 5-minute samples in this range"; }
    var rows = byDirection(doc);
    return "95th percentile of the 5-minute rates over this range: in " + rate(rows["in"].percentile_bits_per_second) +
      ", out " + rate(rows.out.percentile_bits_per_second) + ", max(in, out) " +
      rate(rows.max.percentile_bits_per_second) + " (" + doc.samples + (doc.samples === 1 ? " sample" : " samples") + ", peak " +
      rate(rows.max.peak_bits_per_second) + ")" + (doc.note ? "; " + doc.note : "");
  }

  // ----- charts

  function rateSeconds(row, total, step) {
    // a coarser stored bucket under a finer step is shown whole: take its rate's own width
    return row.bits_per_second > 0 ? total * 8 / row.bits_per_second : step;
  }
  // x in epoch seconds; a missing step becomes a gap, not a line across it
  function series(rows, step, fns) {
    var data = [[]];
    fns.forEach(function () { data.push([]); });
    var last = null;
    rows.forEach(function (row) {
      var t = Date.parse(row.time) / 1000;
      if (last !== null && t - last > step) {
        data[0].push(last + step);
        fns.forEach(function (f, i) { data[i + 1].push(null); });
      }
      data[0].push(t);
      fns.forEach(function (f, i) { data[i + 1].push(f(row)); });
      last = t;
    });
    return data;
  }
  function drawChart(id, data, labels, format) {
    var host = document.getElementById(id);
    if (charts[id]) { charts[id].destroy(); }
    host.textContent = "";
    var colours = ["#4c7bd9", "#e07b39", "#3b9c5a", "#b00020"];
    var opts = {
      width: Math.max(320, host.clientWidth - 2),
      height: 260,
      series: [{ value: function (u, v) { return v === null ? "-" : new Date(v * 1000).toLocaleString(); } }]
        .concat(labels.map(function (l, i) {
          return { label: l, stroke: colours[i], width: 1.5, value: function (u, v) { return v === null ? "-" : format(v); } };
        })),
      axes: [{}, { size: 110, values: function (u, vals) { return vals.map(format); } }]
    };
    charts[id] = new uPlot(opts, data, host);
    host.setAttribute("data-points", String(data[0].length));
  }

  // ----- tables

  function fill(tableId, rows, cells) {
    var body = document.querySelector("#" + tableId + " tbody");
    body.textContent = "";
    var max = rows.reduce(function (m, r) { return Math.max(m, r.bytes); }, 0);
    if (rows.length === 0) {
      var tr = el("tr");
      tr.appendChild(el("td", { colspan: "6", "class": "muted" }, "no traffic in this range"));
      body.appendChild(tr);
    }
    rows.forEach(function (row) {
      var tr = el("tr");
      cells(row, max).forEach(function (c) { tr.appendChild(c); });
      if (row.host) { tr.setAttribute("data-host", row.host); }
      body.appendChild(tr);
    });
  }
  function hostCell(host) {
    var td = el("td", { "class": "host" });
    td.appendChild(hostLink(host));
    return td;
  }
  function portText(row) {
    return row.protocol + "/" + row.port + (row.role === "server" ? "" : " (" + row.role + ")");
  }

  // ----- the link page

  function dashboardPage(status) {
    setupRanges(function () { load(); });
    load();

    function load() {
      var range = currentRange();
      var step = status.finest_seconds ? stepFor(rangeSeconds(range, status), status.finest_seconds) : null;
      showError(null);
      Promise.all([api("api/report" + query(Object.assign({ step: step }, range))),
        api("api/percentile" + query(percentileRange(range, status))),
        api("api/percentile?period=month")]).then(function (docs) {
        var doc = docs[0];
        var p95 = docs[1].samples ? byDirection(docs[1]).max.percentile_bits_per_second : null;
        describeRange(doc);
        var s = doc.step_seconds;
        drawChart("link-bits", series(doc.rows, s, [
          function (row) { return row.in_bytes * 8 / rateSeconds(row, row.bytes, s); },
          function (row) { return row.out_bytes * 8 / rateSeconds(row, row.bytes, s); },
          function (row) { return row.bits_per_second; },
          function () { return p95; }]), ["in", "out", "all (transit too)", "95th pct, max(in, out)"], rate);
        var caption = document.getElementById("link-percentile");
        caption.textContent = percentileText(docs[1]) + (docs[2].samples ? "; calendar month (UTC) " +
          docs[2].from.substring(0, 7) + ": " + rate(byDirection(docs[2]).max.percentile_bits_per_second) : "");
        caption.setAttribute("data-value", p95 === null ? "" : String(p95));
        drawChart("link-packets", series(doc.rows, s, [
          function (row) { return row.in_packets / rateSeconds(row, row.bytes, s); },
          function (row) { return row.out_packets / rateSeconds(row, row.bytes, s); },
          function (row) { return row.packets / rateSeconds(row, row.bytes, s); }]), ["in", "out", "all"],
          function (v) { return count(Math.round(v)) + "/s"; });
      }).catch(function (e) { showError(e.message); });

      api("api/top" + query(Object.assign({ by: "hosts", limit: 20 }, range))).then(function (doc) {
        fill("top-hosts", doc.rows, function (row, max) {
          return [hostCell(row.host), numCell(bytes(row.bytes), row.bytes), barCell(row.bytes, max),
            numCell(bytes(row.in_bytes), row.in_bytes), numCell(bytes(row.out_bytes), row.out_bytes),
            numCell(rate(row.bits_per_second), row.bits_per_second)];
        });
      }).catch(function (e) { showError(e.message); });
      api("api/top" + query(Object.assign({ by: "ports", limit: 20 }, range))).then(function (doc) {
        fill("top-ports", doc.rows, function (row, max) {
          return [hostCell(row.host), el("td", null, portText(row)), numCell(bytes(row.bytes), row.bytes),
            barCell(row.bytes, max), numCell(bytes(row.in_bytes), row.in_bytes),
            numCell(bytes(row.out_bytes), row.out_bytes)];
        });
      }).catch(function (e) { showError(e.message); });
      api("api/top" + query(Object.assign({ by: "peers", limit: 20 }, range))).then(function (doc) {
        fill("top-peers", doc.rows, function (row, max) {
          return [hostCell(row.host), el("td", null, row.peer), numCell(bytes(row.bytes), row.bytes),
            barCell(row.bytes, max), numCell(bytes(row.in_bytes), row.in_bytes),
            numCell(bytes(row.out_bytes), row.out_bytes)];
        });
      }).catch(function (e) { showError(e.message); });

      api("api/quality" + query(Object.assign({ step: step }, range))).then(function (doc) {
        var body = document.querySelector("#quality tbody");
        body.textContent = "";
        var issues = doc.rows.filter(function (row) {
          return !row.complete || row.malformed || row.late_packets || row.folded || row.ring_drops || row.kernel_drops;
        });
        document.getElementById("quality-summary").textContent = doc.rows.length + " steps of " +
          doc.step_seconds + " s with stored buckets; " + (issues.length === 0 ? "nothing dropped, late, malformed or folded" :
          issues.length + " with drops, late, malformed or folded packets (listed)");
        issues.forEach(function (row) {
          var tr = el("tr", { "class": row.complete ? "" : "issue" });
          [timeCell(row.time), numCell(count(row.frames), row.frames), numCell(count(row.packets), row.packets),
            numCell(count(row.non_ip), row.non_ip), numCell(count(row.malformed), row.malformed),
            numCell(count(row.late_packets), row.late_packets), numCell(count(row.ring_drops), row.ring_drops),
            numCell(count(row.kernel_drops), row.kernel_drops), numCell(count(row.folded), row.folded),
            el("td", null, row.complete ? "yes" : "no")].forEach(function (c) { tr.appendChild(c); });
          body.appendChild(tr);
        });
      }).catch(function (e) { showError(e.message); });

      api("api/alerts" + query(Object.assign({ limit: 50 }, range))).then(function (doc) {
        var body = document.querySelector("#alerts tbody");
        body.textContent = "";
        var raised = doc.rows.filter(function (row) { return row.state === "raised"; }).length;
        document.getElementById("alerts-summary").textContent = doc.rows.length === 0 ? "no alert in this range" :
          raised + " raised, " + (doc.rows.length - raised) + " cleared (newest first, at most 50)";
        doc.rows.forEach(function (row) {
          var tr = el("tr", { "class": row.state === "raised" ? "issue" : "" });
          var measured = row.metric + (row.direction ? " " + row.direction : "") + " over " + row.window_seconds + " s";
          [timeCell(row.time), el("td", null, row.rule), el("td", null, row.state),
            el("td", null, row.subject), el("td", null, measured),
            numCell(alertValue(row.value, row.unit), row.value), numCell(alertValue(row.bound, row.unit), row.bound),
            el("td", null, row.agent)].forEach(function (c) { tr.appendChild(c); });
          body.appendChild(tr);
        });
      }).catch(function (e) { showError(e.message); });
    }
  }

  // an alert's value in its unit: rates as the tables show them, other units with two decimals at most
  function alertValue(value, unit) {
    return unit === "bit/s" ? rate(value) : (Math.round(value * 100) / 100) + " " + unit;
  }

  // ----- a host's page

  function hostPage(status) {
    var ip = new URLSearchParams(location.search).get("ip") || "";
    document.getElementById("host-title").textContent = "Host " + ip;
    document.title = "Traffic: " + ip;
    setupRanges(function () { load(); });
    load();

    function load() {
      var range = currentRange();
      var step = status.finest_seconds ? stepFor(rangeSeconds(range, status), status.finest_seconds) : null;
      showError(null);
      api("api/report" + query(Object.assign({ host: ip, step: step }, range))).then(function (doc) {
        describeRange(doc);
        var s = doc.step_seconds;
        drawChart("host-bits", series(doc.rows, s, [
          function (row) { return row.in_bytes * 8 / rateSeconds(row, row.in_bytes + row.out_bytes, s); },
          function (row) { return row.out_bytes * 8 / rateSeconds(row, row.in_bytes + row.out_bytes, s); }]),
          ["in", "out"], rate);
      }).catch(function (e) { showError(e.message); });
      Promise.all([api("api/percentile" + query(Object.assign({ host: ip }, percentileRange(range, status)))),
        api("api/percentile" + query({ host: ip, period: "month" }))]).then(function (docs) {
        var rows = docs[0].samples ? byDirection(docs[0]) : null;
        function figure(id, value, text) {
          var e = document.getElementById(id);
          e.textContent = value === null ? "-" : text;
          e.setAttribute("data-value", value === null ? "" : String(value));
        }
        ["in", "out", "max"].forEach(function (d) {
          var v = rows ? rows[d].percentile_bits_per_second : null;
          figure("p95-" + d, v, rate(v));
        });
        var peak = rows ? rows.max.peak_bits_per_second : null;
        figure("p95-peak", peak, rows ? rate(peak) + " at " + new Date(rows.max.peak_time).toLocaleString() : "");
        document.getElementById("p95-peak").title = rows ? rows.max.peak_time + " (UTC)" : "";
        figure("p95-samples", docs[0].samples, count(docs[0].samples));
        var month = docs[1].samples ? byDirection(docs[1]).max.percentile_bits_per_second : null;
        figure("p95-month", month, rate(month));
        document.getElementById("host-percentile-note").textContent = (docs[0].based_on ? "based on " +
          docs[0].based_on : "") + (docs[0].note ? "; " + docs[0].note : "");
      }).catch(function (e) { showError(e.message); });
      api("api/top" + query(Object.assign({ by: "hosts", host: ip, limit: 20 }, range))).then(function (doc) {
        fill("host-protocols", doc.rows, function (row, max) {
          return [el("td", null, row.protocol), numCell(bytes(row.bytes), row.bytes), barCell(row.bytes, max),
            numCell(bytes(row.in_bytes), row.in_bytes), numCell(bytes(row.out_bytes), row.out_bytes)];
        });
      }).catch(function (e) { showError(e.message); });
      api("api/top" + query(Object.assign({ by: "ports", host: ip, limit: 20 }, range))).then(function (doc) {
        fill("host-ports", doc.rows, function (row, max) {
          return [el("td", null, row.protocol + "/" + row.port), el("td", null, row.role),
            numCell(bytes(row.bytes), row.bytes), barCell(row.bytes, max),
            numCell(bytes(row.in_bytes), row.in_bytes), numCell(bytes(row.out_bytes), row.out_bytes)];
        });
      }).catch(function (e) { showError(e.message); });
      api("api/top" + query(Object.assign({ by: "peers", host: ip, limit: 20 }, range))).then(function (doc) {
        fill("host-peers", doc.rows, function (row, max) {
          return [el("td", { "class": "peer" }, row.peer), numCell(bytes(row.bytes), row.bytes),
            barCell(row.bytes, max), numCell(bytes(row.in_bytes), row.in_bytes),
            numCell(bytes(row.out_bytes), row.out_bytes)];
        });
      }).catch(function (e) { showError(e.message); });
    }
  }

  // ----- the live page: refreshed every second without reloading

  function livePage(status) {
    if (!status.store) { document.getElementById("store-link").hidden = true; }
    var history = [[], [], []];
    function set(id, text, raw) {
      var e = document.getElementById(id);
      e.textContent = text;
      if (raw !== undefined) { e.setAttribute("data-value", String(raw)); }
    }
    function tick() {
      api("api/live").then(function (doc) {
        showError(null);
        var c = doc.counters;
        set("live-in", rate(doc.in_bits_per_second), doc.in_bits_per_second);
        set("live-out", rate(doc.out_bits_per_second), doc.out_bits_per_second);
        set("live-bits", rate(doc.bits_per_second), doc.bits_per_second);
        set("live-pps", count(doc.packets_per_second), doc.packets_per_second);
        set("live-packets", count(c.packets), c.packets);
        set("live-bytes", bytes(c.bytes), c.bytes);
        set("live-drops", count(c.ring_drops + c.kernel_drops), c.ring_drops + c.kernel_drops);
        set("live-malformed", count(c.malformed), c.malformed);
        var now = Date.now() / 1000;
        var t = document.getElementById("live-time");
        t.textContent = "updated " + new Date().toLocaleTimeString();
        t.title = new Date().toISOString() + " (UTC)";
        history[0].push(now);
        history[1].push(doc.in_bits_per_second);
        history[2].push(doc.out_bits_per_second);
        while (history[0].length > 60) { history.forEach(function (h) { h.shift(); }); }
        if (!charts["live-chart"]) {
          drawChart("live-chart", history, ["in", "out"], rate);
        } else {
          charts["live-chart"].setData(history);
          document.getElementById("live-chart").setAttribute("data-points", String(history[0].length));
        }
        fill("live-hosts", doc.top_hosts, function (row, max) {
          return [hostCell(row.host), numCell(bytes(row.bytes), row.bytes), barCell(row.bytes, max),
            numCell(bytes(row.in_bytes), row.in_bytes), numCell(bytes(row.out_bytes), row.out_bytes)];
        });
        fill("live-ports", doc.top_ports, function (row, max) {
          return [hostCell(row.host), el("td", null, portText(row)), numCell(bytes(row.bytes), row.bytes),
            barCell(row.bytes, max)];
        });
        fill("live-peers", doc.top_peers, function (row, max) {
          return [hostCell(row.host), el("td", null, row.peer), numCell(bytes(row.bytes), row.bytes),
            barCell(row.bytes, max)];
        });
      }).catch(function (e) { showError(e.message); })
        .then(function () { setTimeout(tick, 1000); });
    }
    tick();
  }

  function start() {
    api("api/status").then(function (status) {
      var live = document.getElementById("live-link");
      if (live && status.live) { live.hidden = false; }
      var span = document.getElementById("span");
      if (span && status.start) {
        span.textContent = "stored " + new Date(status.start).toLocaleString() + " .. " +
          new Date(status.end).toLocaleString();
        span.title = status.start + " .. " + status.end + " (UTC)";
      }
      var page = document.body.getAttribute("data-page");
      if (page !== "live" && !status.store) { location.replace("live"); return; }
      if (page === "dashboard") { dashboardPage(status); }
      else if (page === "host") { hostPage(status); }
      else if (page === "live") { livePage(status); }
    }).catch(function (e) { showError(e.message); });
  }

  start();
}());
