/* accessmap: the report's what-if simulator (offline, no library).
   APL_i = base_i(year) + sum_j g_ij x_j, as accessmap.diagnostic.decisions.evaluate_plan;
   "under a threshold" is APL < threshold - tol * max(1, threshold), as the library.
   Every visible text comes from D.labels (the French message catalogue). */
(function () {
  "use strict";
  var root = document.currentScript && document.currentScript.closest("[data-sim-root]");
  if (!root) { root = document.querySelector("[data-sim-root]"); }
  if (!root) { return; }
  var q = function (name) { return root.querySelector('[data-sim="' + name + '"]'); };
  var D = JSON.parse(q("data").textContent);
  var L = D.labels, C = D.communes, n = C.ids.length;
  var SVG = "http://www.w3.org/2000/svg";
  var NF = {
    int: new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 }),
    apl: new Intl.NumberFormat("fr-FR", { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    fte: new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 2 }),
    gain: new Intl.NumberFormat("fr-FR", {
      minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: "exceptZero" })
  };
  var fmt = function (kind, v) { return isFinite(v) ? NF[kind].format(v) : "—"; };
  var fill = function (text, p) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return k in p ? p[k] : m; });
  };
  var esc = function (s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  };
  var state = { p: 0, year: null, rows: [], mode: "apl" };
  var P = function () { return D.professions[state.p]; };
  var byId = function (prof) {
    var out = {};
    prof.sites.forEach(function (s) { out[s.id] = s; });
    return out;
  };

  /* --- the arithmetic of evaluate_plan ------------------------------------------------ */
  function delta(prof, plan) {
    var d = new Float64Array(n), sites = byId(prof);
    Object.keys(plan).forEach(function (id) {
      var s = sites[id], x = plan[id];
      if (!s || !(x > 0)) { return; }
      for (var k = 0; k < s.g.length; k += 2) { d[s.g[k]] += s.g[k + 1] * x; }
    });
    return d;
  }
  function below(v, level) { return v < level - D.tol * Math.max(1, level); }
  function evaluate(prof, base, d) {
    var r = { under: 0, communes: 0, under2: NaN, communes2: NaN, apl: NaN, after: [] };
    var second = prof.secondary, num = 0, den = 0, pop = prof.pop || C.pop, std = prof.std || C.std;
    if (second !== null) { r.under2 = 0; r.communes2 = 0; }
    for (var i = 0; i < n; i++) {
      var a = base[i] + d[i], people = pop[i];
      r.after.push(a);
      if (below(a, prof.threshold)) { r.under += people; if (people > 0) { r.communes++; } }
      if (second !== null && below(a, second)) {
        r.under2 += people; if (people > 0) { r.communes2++; }
      }
      num += a * std[i]; den += std[i];
    }
    r.apl = den > 0 ? num / den : NaN;
    return r;
  }
  function planOf(rows) {
    var plan = {};
    rows.forEach(function (r) {
      if (r.site && r.fte > 0) { plan[r.site] = (plan[r.site] || 0) + r.fte; }
    });
    return plan;
  }
  function total(plan) {
    return Object.keys(plan).reduce(function (t, k) { return t + plan[k]; }, 0);
  }

  /* --- the plan in the address: #plan=19033:2,23077:1&annee=2036&profession=... ------- */
  function encode() {
    var parts = state.rows.filter(function (r) { return r.site && r.fte > 0; })
      .map(function (r) { return r.site + ":" + (+r.fte.toFixed(4)); });
    return parts.join(",");
  }
  function writeHash() {
    var frag = "plan=" + encode() + "&annee=" + state.year;
    if (D.professions.length > 1) { frag += "&profession=" + P().key; }
    history.replaceState(null, "", "#" + frag);
    q("cli").textContent = fill(L.cli_command, { plan: encode() });
  }
  function readHash() {
    var hash = location.hash.replace(/^#/, "");
    try { hash = decodeURIComponent(hash); } catch (e) { return false; }
    if (!/(^|&)(plan|annee|profession)=/.test(hash)) { return false; }
    var args = {};
    hash.split("&").forEach(function (kv) {
      var at = kv.indexOf("=");
      if (at > 0) { args[kv.slice(0, at)] = kv.slice(at + 1); }
    });
    D.professions.forEach(function (p, i) { if (p.key === args.profession) { state.p = i; } });
    var years = P().years, year = parseInt(args.annee, 10);
    state.year = years.indexOf(year) >= 0 ? year : P().decision_year;
    var known = byId(P()), unknown = [];
    state.rows = [];
    (args.plan || "").split(",").forEach(function (pair) {
      pair = pair.trim();
      var at = pair.lastIndexOf(":");
      if (!pair) { return; }
      var site = pair.slice(0, at).trim(), fte = parseFloat(pair.slice(at + 1));
      if (at < 0 || !known[site] || !(fte > 0)) { unknown.push(pair); return; }
      /* the address holds no kind: a host with exactly a volunteer centre's FTE is read as one */
      var volunteer = known[site].group === "host" && Math.abs(fte - D.volunteer_fte) < 1e-9;
      state.rows.push({ site: site, fte: fte, volunteer: volunteer });
    });
    q("notice").textContent = unknown.length ? fill(L.unknown_site, { site: unknown.join(", ") }) : "";
    return true;
  }

  /* --- controls ------------------------------------------------------------------------ */
  function fillSites(sel, prof) {
    sel.textContent = "";
    sel.add(new Option(L.choose_site, ""));
    [["existing", L.group_existing], ["host", L.group_host]].forEach(function (g) {
      var group = document.createElement("optgroup");
      group.label = g[1];
      prof.sites.forEach(function (s) {
        if (s.group === g[0]) { group.appendChild(new Option(s.label, s.id)); }
      });
      if (group.children.length) { sel.appendChild(group); }
    });
  }
  /* A row whose site is chosen holds that site only until it is focused or pressed: a plan
     of a department (a hundred rows, some 800 sites each) would otherwise build and lay out
     some 100 000 options before the page answers. */
  function siteSelect(row, known) {
    var sel = document.createElement("select"), prof = P();
    sel.setAttribute("aria-label", L.site);
    var site = row.site ? known[row.site] : null;
    if (site) {
      sel.add(new Option(site.label, site.id));
      var full = function () {
        if (sel.options.length > 1) { return; }
        var value = sel.value;
        fillSites(sel, prof);
        sel.value = value;
      };
      ["focus", "pointerdown", "mousedown", "keydown"].forEach(function (e) {
        sel.addEventListener(e, full);
      });
    } else {
      fillSites(sel, prof);
    }
    sel.value = row.site || "";
    sel.addEventListener("change", function () { row.site = sel.value; update(true); });
    return sel;
  }
  function drawRows() {
    var box = q("rows"), known = byId(P());
    box.textContent = "";
    state.rows.forEach(function (row, i) {
      var line = document.createElement("div");
      line.className = "sim-row";
      line.setAttribute("data-sim-row", String(i));
      var l1 = document.createElement("label"), l2 = document.createElement("label");
      l1.className = "sim-site";
      l1.append(L.site + (row.volunteer ? " (" + L.volunteer_row + ")" : "") + " ", siteSelect(row, known));
      var input = document.createElement("input");
      input.type = "number"; input.min = "0"; input.step = "0.1"; input.inputMode = "decimal";
      input.value = String(row.fte);
      input.setAttribute("aria-label", L.fte);
      input.addEventListener("input", function () {
        var v = parseFloat(input.value.replace(",", "."));
        row.fte = isFinite(v) && v > 0 ? v : 0;
        update(true);
      });
      l2.className = "sim-fte";
      l2.append(L.fte + " ", input);
      var remove = document.createElement("button");
      remove.type = "button"; remove.textContent = L.remove;
      remove.addEventListener("click", function () {
        state.rows.splice(i, 1); drawRows(); update(true);
      });
      line.append(l1, l2, remove);
      box.appendChild(line);
    });
  }
  function addRow(fte, volunteer) {
    state.rows.push({ site: "", fte: fte, volunteer: volunteer });
    drawRows();
    var selects = q("rows").querySelectorAll("select");
    if (selects.length) { selects[selects.length - 1].focus(); }
    update(true);
  }
  function setupProfession() {
    var sel = q("profession"), year = q("year"), prof = P();
    if (D.professions.length < 2) { q("profession-field").hidden = true; }
    sel.textContent = "";
    D.professions.forEach(function (p, i) { sel.add(new Option(p.label, String(i))); });
    sel.value = String(state.p);
    /* the slider runs over the years the data hold (its position is the year's index) */
    year.min = "0"; year.max = String(prof.years.length - 1);
    if (prof.years.indexOf(state.year) < 0) { state.year = prof.decision_year; }
    year.value = String(prof.years.indexOf(state.year));
    q("recommended").disabled = !prof.recommended;
    q("caveat").textContent = prof.caveat + " " + prof.thresholds_note;
    ["caveat-map", "caveat-gains"].forEach(function (k) { q(k).textContent = prof.caveat; });
    drawMap();
  }

  /* --- results ------------------------------------------------------------------------- */
  function recruits(prof, plan) {
    var sites = byId(prof), r = { fte: 0, new_fte: 0, new_sites: 0, re_fte: 0, re_sites: 0 };
    Object.keys(plan).forEach(function (id) {
      var x = plan[id];
      r.fte += x;
      if (sites[id].group === "host") { r.new_fte += x; r.new_sites++; }
      else { r.re_fte += x; r.re_sites++; }
    });
    return r;
  }
  function figureTable(prof, cols) {
    var thr = fmt("fte", prof.threshold), rows = [
      ["under", fill(L.row_under, { threshold: thr }), "int"],
      ["communes", fill(L.row_communes_under, { threshold: thr }), "int"]];
    if (prof.secondary !== null) {
      var sec = fmt("fte", prof.secondary);
      rows.push(["under2", fill(L.row_under, { threshold: sec }), "int"],
        ["communes2", fill(L.row_communes_under, { threshold: sec }), "int"]);
    }
    rows.push(["apl", L.row_apl, "apl"], ["fte", L.row_fte, "fte"]);
    var html = "<caption>" + esc(fill(L.figures_caption, { profession: prof.label })) +
      "</caption><thead><tr><th scope=\"col\">" + esc(L.col_indicator) + "</th>";
    cols.forEach(function (c) { html += "<th scope=\"col\">" + esc(c.title) + "</th>"; });
    html += "</tr></thead><tbody>";
    rows.forEach(function (r) {
      html += "<tr><th scope=\"row\">" + esc(r[1]) + "</th>";
      cols.forEach(function (c) {
        var v = c.r ? c.r[r[0]] : NaN;
        if (r[0] === "fte") { v = c.fte; }
        html += "<td data-fig=\"" + r[0] + "-" + c.key + "\">" + (c.r || r[0] === "fte" ?
          fmt(r[2], v) : "—") + "</td>";
      });
      html += "</tr>";
    });
    q("figures").innerHTML = html + "</tbody>";
  }
  function update(write) {
    var prof = P(), plan = planOf(state.rows), d = delta(prof, plan);
    var zero = new Float64Array(n), base = prof.baseline[String(state.year)];
    var year = state.year, rec = prof.recommended;
    var cur = {
      todayWithout: evaluate(prof, prof.today, zero), today: evaluate(prof, prof.today, d),
      yearWithout: evaluate(prof, base, zero), year: evaluate(prof, base, d),
      rec: rec ? evaluate(prof, base, delta(prof, rec)) : null
    };
    q("year-out").textContent = String(year);
    q("year").setAttribute("aria-valuetext", String(year));
    var fte = total(plan), recFte = rec ? total(rec) : NaN;
    figureTable(prof, [
      { key: "today-without", title: L.col_today_without, r: cur.todayWithout, fte: 0 },
      { key: "today-plan", title: L.col_today_plan, r: cur.today, fte: fte },
      { key: "year-without", title: fill(L.col_year_without, { year: year }), r: cur.yearWithout, fte: 0 },
      { key: "year-plan", title: fill(L.col_year_plan, { year: year }), r: cur.year, fte: fte },
      { key: "year-recommended", title: fill(L.col_year_recommended, { year: year }), r: cur.rec, fte: recFte }
    ]);
    sentences(prof, plan, cur, fte, recFte);
    paintMap(prof, base, d, cur.year, plan);
    gains(prof, base, d);
    if (write) { writeHash(); } else { q("cli").textContent = fill(L.cli_command, { plan: encode() }); }
  }
  function sentences(prof, plan, cur, fte, recFte) {
    var r = recruits(prof, plan), thr = fmt("fte", prof.threshold);
    var vol = state.rows.filter(function (x) { return x.volunteer && x.site && x.fte > 0; }).length;
    var parts = [];
    if (r.new_sites) {
      parts.push(fill(r.new_sites > 1 ? L.recruits_new_many : L.recruits_new_one,
        { fte: fmt("fte", r.new_fte), sites: r.new_sites }));
    }
    if (r.re_sites) {
      parts.push(fill(r.re_sites > 1 ? L.recruits_reinforced_many : L.recruits_reinforced_one,
        { fte: fmt("fte", r.re_fte), sites: r.re_sites }));
    }
    var weeks = vol ? " " + fill(vol > 1 ? L.volunteer_weeks_many : L.volunteer_weeks_one,
      { centres: vol, weeks: fmt("int", vol * D.volunteer_weeks) }) : "";
    q("recruits").textContent = fte > 0 ?
      fill(L.recruits, { fte: fmt("fte", r.fte), parts: parts.join(", ") }) + weeks : L.empty_plan;
    var small = state.rows.filter(function (x) {
      var s = byId(prof)[x.site];
      return s && s.group === "host" && !x.volunteer && (plan[x.site] || 0) < prof.team_min;
    }).map(function (x) { return byId(prof)[x.site].label; });
    q("team").textContent = small.length ? fill(L.team_warning, { team: prof.team_min, sites: small.join(", ") }) : "";
    q("compare").textContent = cur.rec ? fill(L.compare, {
      year: state.year, under: fmt("int", cur.year.under), threshold: thr, fte: fmt("fte", fte),
      rec_under: fmt("int", cur.rec.under), rec_fte: fmt("fte", recFte) }) : L.recommended_none;
    var names = prof.recommended ? Object.keys(prof.recommended).map(function (k) {
      return byId(prof)[k].label + " : " + fmt("fte", prof.recommended[k]);
    }).join(", ") : "";
    q("recommended-note").textContent = prof.recommended ?
      fill(L.recommended_note, { threshold: thr, year: prof.decision_year, plan: names }) : "";
  }

  /* --- the map (SVG, Lambert-93) ------------------------------------------------------- */
  var APL_COLOURS = ["#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#4393c3"];
  var GAIN_COLOURS = ["#f2f2f2", "#c7e9c0", "#74c476", "#238b45"];
  function drawMap() {
    var svg = q("map");
    svg.setAttribute("viewBox", C.view.join(" "));
    svg.textContent = "";
    var g = document.createElementNS(SVG, "g");
    C.paths.forEach(function (d, i) {
      var path = document.createElementNS(SVG, "path");
      path.setAttribute("d", d);
      path.setAttribute("data-i", String(i));
      path.appendChild(document.createElementNS(SVG, "title"));
      g.appendChild(path);
    });
    var marks = document.createElementNS(SVG, "g");
    marks.setAttribute("data-sim", "marks");
    svg.append(g, marks);
  }
  function aplClass(prof, v) {
    var t = prof.threshold, s = prof.secondary === null ? 1.6 * t : prof.secondary;
    if (below(v, t / 2)) { return 0; }
    if (below(v, t)) { return 1; }
    if (below(v, s)) { return 2; }
    return below(v, s * 1.25) ? 3 : 4;
  }
  function gainClass(v) { return v <= 1e-9 ? 0 : v < 0.25 ? 1 : v < 1 ? 2 : 3; }
  function paintMap(prof, base, d, res, plan) {
    var svg = q("map"), gain = state.mode === "gain";
    svg.querySelectorAll("path").forEach(function (path) {
      var i = +path.getAttribute("data-i"), after = res.after[i];
      path.setAttribute("fill", gain ? GAIN_COLOURS[gainClass(d[i])] : APL_COLOURS[aplClass(prof, after)]);
      path.firstChild.textContent = fill(L.map_tooltip, {
        name: C.names[i], year: state.year, before: fmt("apl", base[i]), after: fmt("apl", after),
        gain: fmt("gain", d[i]), population: fmt("int", (prof.pop || C.pop)[i]) });
    });
    var marks = q("marks"), sites = byId(prof), r = Math.max(C.view[2], C.view[3]) / 90;
    marks.textContent = "";
    Object.keys(plan).forEach(function (id) {
      var s = sites[id];
      if (!s || s.xy.length < 2) { return; }
      var c = document.createElementNS(SVG, "circle"), t = document.createElementNS(SVG, "text");
      c.setAttribute("cx", s.xy[0]); c.setAttribute("cy", s.xy[1]); c.setAttribute("r", r);
      t.setAttribute("x", s.xy[0] + r * 1.3); t.setAttribute("y", s.xy[1] + r * 0.5);
      t.setAttribute("font-size", String(r * 2.4));
      t.textContent = fmt("fte", plan[id]);
      var title = document.createElementNS(SVG, "title");
      title.textContent = s.label + " : " + fmt("fte", plan[id]) + " " + L.fte;
      c.appendChild(title);
      marks.append(c, t);
    });
    q("map-title").textContent = fill(L.map_title, {
      what: gain ? L.map_gain : L.map_apl, year: state.year });
    legend(prof, gain);
  }
  function legend(prof, gain) {
    var t = fmt("fte", prof.threshold), s = fmt("fte", prof.secondary === null ? 1.6 * prof.threshold : prof.secondary);
    var top = fmt("fte", (prof.secondary === null ? 1.6 * prof.threshold : prof.secondary) * 1.25);
    var items = gain ? [L.legend_gain_none, L.legend_gain_small, L.legend_gain_mid, L.legend_gain_big] : [
      fill(L.legend_under_half, { half: fmt("fte", prof.threshold / 2) }),
      fill(L.legend_under, { half: fmt("fte", prof.threshold / 2), threshold: t }),
      fill(L.legend_middle, { threshold: t, secondary: s }),
      fill(L.legend_middle, { threshold: s, secondary: top }),
      fill(L.legend_over, { secondary: top })];
    var colours = gain ? GAIN_COLOURS : APL_COLOURS;
    q("legend").innerHTML = items.map(function (text, i) {
      return "<span><i style=\"background:" + colours[i] + "\"></i>" + esc(text) + "</span>";
    }).join("") + "<span><i class=\"sim-dot\"></i>" + esc(L.legend_site) + "</span>";
  }

  /* --- the communes gaining most ------------------------------------------------------- */
  function gains(prof, base, d) {
    var order = [];
    for (var i = 0; i < n; i++) { if (d[i] > 1e-9) { order.push(i); } }
    var pop = prof.pop || C.pop;
    order.sort(function (a, b) { return d[b] - d[a] || pop[b] - pop[a]; });
    var html = "<caption>" + esc(fill(L.gains_title, { year: state.year })) + "</caption>";
    if (!order.length) {
      q("gains").innerHTML = html + "<tbody><tr><td>" + esc(L.no_gain) + "</td></tr></tbody>";
      return;
    }
    html += "<thead><tr>" + [L.col_commune, L.col_population, L.col_apl_without, L.col_apl_with,
      L.col_gain].map(function (h) { return "<th scope=\"col\">" + esc(h) + "</th>"; }).join("") +
      "</tr></thead><tbody>";
    order.slice(0, 10).forEach(function (i) {
      html += "<tr><th scope=\"row\">" + esc(C.names[i]) + "</th><td>" + fmt("int", pop[i]) +
        "</td><td>" + fmt("apl", base[i]) + "</td><td>" + fmt("apl", base[i] + d[i]) +
        "</td><td>" + fmt("gain", d[i]) + "</td></tr>";
    });
    q("gains").innerHTML = html + "</tbody>";
  }

  /* --- wiring -------------------------------------------------------------------------- */
  q("profession").addEventListener("change", function (e) {
    state.p = +e.target.value; state.rows = []; setupProfession(); drawRows(); update(true);
  });
  q("year").addEventListener("input", function (e) {
    state.year = P().years[+e.target.value]; update(true);
  });
  q("add").addEventListener("click", function () { addRow(1, false); });
  q("add-volunteer").addEventListener("click", function () { addRow(D.volunteer_fte, true); });
  q("recommended").addEventListener("click", function () {
    var rec = P().recommended || {};
    state.rows = Object.keys(rec).map(function (k) { return { site: k, fte: rec[k], volunteer: false }; });
    drawRows(); update(true);
  });
  q("clear").addEventListener("click", function () { state.rows = []; drawRows(); update(true); });
  root.querySelectorAll('input[name="sim-map-mode"]').forEach(function (radio) {
    radio.addEventListener("change", function () { state.mode = radio.value; update(false); });
  });
  function load() {
    var fromHash = readHash();
    if (!fromHash && state.year === null) { state.year = P().decision_year; }
    setupProfession(); drawRows(); update(false);
    /* a shared plan opens on the simulator, wherever it sits in the report */
    if (fromHash && root.getBoundingClientRect().top > 0) { root.scrollIntoView(); }
  }
  window.addEventListener("hashchange", function () { if (readHash()) { setupProfession(); drawRows(); update(false); } });
  q("app").hidden = false;
  load();
})();
