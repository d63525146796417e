// The map's time slider, written once per map as map.atlas.time (see layers/time_filter.py).
//
// The app sends the events of every year its other filters allow, each with its span of days,
// and every version of the boundaries. Moving the slider hides what lies outside the range,
// resizes the places, redraws the gathered imported events and shows the range large on the
// map, all here: the app runs once, when the hand is lifted or Play pauses, and is told the
// range as it is told a click. Play steps through the range at a chosen speed, optionally
// leaving a fading trail, and gives the chosen range back at the end.
(function (map) {
    var atlas = map.atlas;
    if (!atlas || atlas.time) { return; }
    var DAY = 86400000;
    var STEP_DAYS = {year: 365.25, quarter: 91.3, month: 30.4, week: 7, day: 1};
    var STEP_NAMES = {year: "Year", quarter: "Quarter", month: "Month", week: "Week", day: "Day"};
    var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    var time = atlas.time = {range: null, unit: "year", trail: false, playing: null, listeners: [], records: [],
                             drawn: 0, playStats: {steps: 0, ms: 0}};
    var data = null, control = null, ui = {}, badgeTimer = null, firstYear = 0, weekZero = 0;

    // ---- days and steps ------------------------------------------------------------
    function dayOf(year, month, day) { return Math.floor(Date.UTC(year, month, day) / DAY); }
    function dateOf(day) { return new Date(day * DAY); }
    function iso(day) { return dateOf(day).toISOString().slice(0, 10); }
    function stepStart(k) {
        switch (time.unit) {
        case "year": return dayOf(firstYear + k, 0, 1);
        case "quarter": return dayOf(firstYear, 3 * k, 1);
        case "month": return dayOf(firstYear, k, 1);
        case "week": return weekZero + 7 * k;
        default: return data.axis[0] + k;
        }
    }
    function stepOf(day) {
        var date = dateOf(day), years = date.getUTCFullYear() - firstYear, month = date.getUTCMonth();
        switch (time.unit) {
        case "year": return years;
        case "quarter": return years * 4 + Math.floor(month / 3);
        case "month": return years * 12 + month;
        case "week": return Math.floor((day - weekZero) / 7);
        default: return day - data.axis[0];
        }
    }
    function stepCount() { return stepOf(data.axis[1]) + 1; }
    function rangeOf(a, b) { return [stepStart(a), stepStart(b + 1) - 1]; }
    function stepLabel(k) {
        var date = dateOf(stepStart(k)), year = date.getUTCFullYear();
        switch (time.unit) {
        case "year": return String(year);
        case "quarter": return year + " Q" + (Math.floor(date.getUTCMonth() / 3) + 1);
        case "month": return MONTHS[date.getUTCMonth()] + " " + year;
        default: return date.getUTCDate() + " " + MONTHS[date.getUTCMonth()] + " " + year;
        }
    }
    function rangeLabel(a, b) {
        var first = stepLabel(a), last = time.unit === "week" ? dateOf(stepStart(b + 1) - 1).getUTCDate() + " " +
            MONTHS[dateOf(stepStart(b + 1) - 1).getUTCMonth()] + " " + dateOf(stepStart(b + 1) - 1).getUTCFullYear()
            : stepLabel(b);
        return a === b && time.unit !== "week" ? first : first + " – " + last;
    }

    // ---- what is shown -----------------------------------------------------------------
    // The lowest day shown: at the axis's first day, what began earlier shows too.
    function low() {
        return data.earlierBackground && time.range[0] <= data.axis[0] ? -Infinity : time.range[0];
    }
    function trailDays() { return time.trail ? data.trailSteps * STEP_DAYS[time.unit] : 0; }
    // How strongly an event of [start, end] shows: the share of its span inside the range (an
    // uncertain date fades), or along the trail a fading fraction; 0 when not shown.
    function strength(start, end, lo, hi, trail) {
        if (start <= hi && end >= lo) {
            if (end - start < 1 || lo === -Infinity) { return 1; }
            var share = (Math.min(end, hi) - Math.max(start, lo) + 1) / (end - start + 1);
            return Math.max(0.2, share);
        }
        if (trail && end < lo && end >= lo - trail) { return Math.max(0.1, 0.6 * (1 - (lo - end) / trail)); }
        return 0;
    }
    function decoded(text, Type) {
        var bytes = Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); });
        return new Type(bytes.buffer);
    }
    // For the gathered layer: each event's strength in the range on screen (null: no dates sent).
    time.visibility = function (points) {
        if (!points.start || !time.range) { return null; }
        if (!points._start) { points._start = decoded(points.start, Int32Array); points._end = decoded(points.end, Int32Array); }
        var lo = low(), hi = time.range[1], trail = trailDays(), key = lo + ":" + hi + ":" + trail;
        if (points._key === key) { return points._strength; }
        var starts = points._start, ends = points._end, n = points.count, shown = 0;
        var out = points._strength || new Float32Array(n);
        for (var i = 0; i < n; i++) {
            var s = strength(starts[i], ends[i], lo, hi, trail);
            out[i] = s;
            if (s && ends[i] >= lo) { shown++; }
        }
        points._strength = out; points._key = key; points._inRange = shown;
        return out;
    };
    time.listen = function (redraw) { time.listeners.push(redraw); };
    time.unlisten = function (redraw) { time.listeners = time.listeners.filter(function (f) { return f !== redraw; }); };

    function collect() {
        var records = [];
        map.eachLayer(function (group) {
            if (!(group instanceof L.GeoJSON)) { return; }
            group.eachLayer(function (layer) {
                var props = layer.feature && layer.feature.properties, spans = null, kind = null;
                // Town dots name their place as its circle does, but are the same in every range, as their labels are.
                if (!props || props.mark === "town") { return; }
                if (props.select && data.events[props.select]) { kind = "event"; spans = [data.events[props.select]]; }
                else if (props.select && data.places[props.select]) { kind = "place"; spans = data.places[props.select]; }
                else if (props.select && data.boundaries[props.select]) { kind = "boundary"; spans = data.boundaries[props.select]; }
                else if (props.kind === "halo" && data.halos[props.place]) { kind = "halo"; spans = data.halos[props.place]; }
                // A route (its line and its arrowhead) shows while its event does.
                else if (/^(route|arrow)-/.test(props.id || "") && data.events["event:" + props.event]) {
                    kind = "route"; spans = [data.events["event:" + props.event]];
                }
                if (!kind) { return; }
                var tip = layer.getTooltip && layer.getTooltip();
                records.push({layer: layer, group: group, kind: kind, spans: spans,
                              tooltip: tip && typeof tip.getContent() === "string" ? tip.getContent() : null,
                              opacity: layer.options.opacity, fillOpacity: layer.options.fillOpacity});
            });
        });
        return records;
    }

    function toggle(record, show) {
        var on = record.group.hasLayer(record.layer);
        if (show && !on) { record.group.addLayer(record.layer); }
        if (!show && on) { record.group.removeLayer(record.layer); }
    }

    // Redraw everything for the range on the slider: the reports' marks, places, halos and
    // boundaries here, the gathered imported events through their own redraw.
    time.apply = function () {
        if (!data || !time.range) { return; }
        var started = performance.now();
        var lo = low(), hi = time.range[1], trail = trailDays(), shown = 0;
        var boundaryYear = data.boundaryYear || dateOf(hi).getUTCFullYear();
        time.records.forEach(function (record) {
            if (record.kind === "boundary") {
                var from = record.spans[0], to = record.spans[1];
                toggle(record, (from === null || from <= boundaryYear) && (to === null || to >= boundaryYear));
                return;
            }
            var count = 0, best = 0;
            record.spans.forEach(function (span) {
                var s = strength(span[0], span[1], lo, hi, trail);
                if (s && span[1] >= lo) { count++; }
                best = Math.max(best, s);
            });
            if (record.kind === "event") {
                toggle(record, best > 0);
                if (best > 0) {
                    shown += count;
                    var fade = count ? 1 : best;  // a trail's mark fades; one in range shows as drawn
                    record.layer.setStyle({opacity: record.opacity * fade, fillOpacity: record.fillOpacity * fade});
                }
            } else if (record.kind === "place") {
                toggle(record, count > 0);
                if (count) {
                    record.layer.setRadius(data.placeRadius[0] + data.placeRadius[1] * Math.sqrt(count));
                    if (record.tooltip) {
                        record.layer.setTooltipContent(record.tooltip.replace(/\d+ event\(s\) shown/, count + " event(s) shown"));
                    }
                }
            } else {
                toggle(record, count > 0);
            }
        });
        time.listeners.forEach(function (redraw) { redraw(); });
        atlas.relayout();
        time.drawn = shown;
        map.getContainer().setAttribute("data-time-range", iso(time.range[0]) + "/" + iso(time.range[1]));
        map.getContainer().setAttribute("data-events-in-range", String(shown));
        time.lastApplyMs = performance.now() - started;
    };

    // ---- the app: told the range once the hand is lifted --------------------------------
    function send() {
        if (!data.send) { return; }
        var handles = [+ui.from.value, +ui.to.value];
        time.sent = (time.sent || 0) + 1;
        tell({
            action: "time-range", from: iso(time.range[0]), to: iso(time.range[1]), step: time.unit,
            years: [dateOf(time.range[0]).getUTCFullYear(), dateOf(time.range[1]).getUTCFullYear()],
            whole: time.unit === "year" || (stepStart(handles[0]) === dayOf(dateOf(time.range[0]).getUTCFullYear(), 0, 1) &&
                                            time.range[1] + 1 === dayOf(dateOf(time.range[1]).getUTCFullYear() + 1, 0, 1)),
            at: Date.now()});
    }
    // Once the first marks are on screen, the app is told, and only then sends what is under the
    // map (the table's code is heavy for the browser): the map comes first. Once per map.
    function tellDrawn() {
        if (!data.send || time.toldDrawn) { return; }
        time.toldDrawn = true;
        requestAnimationFrame(function () {
            setTimeout(function () {
                tell({action: "map-drawn", at: Date.now()});
                map.getContainer().setAttribute("data-told-drawn", "1");
            }, 0);
        });
    }
    function tell(properties) {
        var feature = {type: "Feature", geometry: null, properties: properties};
        // As a click is told; kept as the last value so a later pan does not send it again.
        if (window.__GLOBAL_DATA__) {
            window.__GLOBAL_DATA__.last_active_drawing = feature;
            window.__GLOBAL_DATA__.previous_data = {last_active_drawing: feature};
        }
        if (window.Streamlit && window.Streamlit.setComponentValue) {
            window.Streamlit.setComponentValue({last_active_drawing: feature});
        }
    }

    // ---- the control --------------------------------------------------------------------
    function badge(text) {
        clearTimeout(badgeTimer);
        ui.badge.textContent = text;
        ui.badge.style.display = text ? "" : "none";
    }
    function badgeLater() { clearTimeout(badgeTimer); badgeTimer = setTimeout(function () { badge(""); }, 1500); }
    function paintTrack() {
        var n = Math.max(1, stepCount() - 1), a = +ui.from.value, b = +ui.to.value;
        ui.fill.style.left = (100 * a / n) + "%";
        ui.fill.style.width = Math.max(0.5, 100 * (b - a) / n) + "%";
        var text = rangeLabel(a, b);
        ui.label.textContent = text;
        ui.from.setAttribute("aria-valuetext", stepLabel(a));
        ui.to.setAttribute("aria-valuetext", stepLabel(b));
        return text;
    }
    function setHandles(a, b) {
        ui.from.value = a; ui.to.value = b;
        time.range = rangeOf(a, b);
        return paintTrack();
    }
    function moved(which) {
        if (time.playing) { stop(false); }
        var a = +ui.from.value, b = +ui.to.value;
        if (a > b) { if (which === ui.from) { ui.from.value = b; a = b; } else { ui.to.value = a; b = a; } }
        badge(setHandles(a, b));
        time.apply();
    }
    function released() {
        badgeLater();
        send();
    }
    function units() {
        ui.unit.innerHTML = "";
        data.steps.forEach(function (unit) {
            var option = document.createElement("option");
            option.value = unit; option.textContent = STEP_NAMES[unit];
            ui.unit.appendChild(option);
        });
        ui.unit.value = time.unit;
        ui.unitBox.style.display = data.steps.length > 1 ? "" : "none";
    }
    function axisFor(range) {
        var n = stepCount() - 1;
        [ui.from, ui.to].forEach(function (input) { input.min = 0; input.max = n; input.step = 1; });
        setHandles(Math.max(0, Math.min(n, stepOf(range[0]))), Math.max(0, Math.min(n, stepOf(range[1]))));
    }

    function build() {
        var Control = L.Control.extend({
            options: {position: "bottomleft"},
            onAdd: function () {
                var box = L.DomUtil.create("div", "atlas-time");
                box.setAttribute("role", "group");
                box.setAttribute("aria-label", "Time shown on the map");
                var row = L.DomUtil.create("div", "atlas-time-row", box);
                ui.play = L.DomUtil.create("button", "atlas-time-play", row);
                ui.play.type = "button";
                var track = L.DomUtil.create("div", "atlas-time-track", row);
                L.DomUtil.create("div", "atlas-time-base", track);
                ui.fill = L.DomUtil.create("div", "atlas-time-fill", track);
                ui.from = L.DomUtil.create("input", "atlas-time-from", track);
                ui.to = L.DomUtil.create("input", "atlas-time-to", track);
                ui.from.type = ui.to.type = "range";
                ui.from.setAttribute("aria-label", "From");
                ui.to.setAttribute("aria-label", "To");
                ui.label = L.DomUtil.create("output", "atlas-time-label", row);
                var options = L.DomUtil.create("details", "atlas-time-options", box);
                L.DomUtil.create("summary", "", options).textContent = "Play and steps";
                var line = L.DomUtil.create("div", "atlas-time-settings", options);
                function choice(label, values, names, value) {
                    var holder = L.DomUtil.create("label", "", line);
                    holder.appendChild(document.createTextNode(label + " "));
                    var select = L.DomUtil.create("select", "", holder);
                    select.setAttribute("aria-label", label);
                    values.forEach(function (v, i) {
                        var option = document.createElement("option");
                        option.value = v; option.textContent = names[i];
                        select.appendChild(option);
                    });
                    select.value = value;
                    return {holder: holder, select: select};
                }
                var unit = choice("Step", ["year"], ["Year"], "year");
                ui.unit = unit.select; ui.unitBox = unit.holder;
                ui.speed = choice("Speed", data.speeds, data.speeds.map(function (s) { return s + " a second"; }),
                                  data.speeds[Math.min(1, data.speeds.length - 1)]).select;
                ui.mode = choice("Window", Object.keys(data.modes), Object.keys(data.modes).map(function (mode) {
                    return data.modes[mode];
                }), "one").select;
                var trail = L.DomUtil.create("label", "", line);
                ui.trail = L.DomUtil.create("input", "", trail);
                ui.trail.type = "checkbox";
                trail.appendChild(document.createTextNode(" Trail"));
                L.DomEvent.disableClickPropagation(box);
                L.DomEvent.disableScrollPropagation(box);
                [ui.from, ui.to].forEach(function (input) {
                    L.DomEvent.on(input, "input", function () { moved(input); });
                    L.DomEvent.on(input, "change", released);
                });
                L.DomEvent.on(ui.play, "click", function () { if (time.playing) { stop(true); } else { play(); } });
                L.DomEvent.on(ui.unit, "change", function () {
                    var range = time.range;
                    time.unit = ui.unit.value;
                    axisFor(range);
                    time.apply();
                });
                L.DomEvent.on(ui.trail, "change", function () { time.trail = ui.trail.checked; time.apply(); });
                return box;
            }
        });
        control = new Control().addTo(map);
        var Badge = L.Control.extend({
            options: {position: "topright"},
            onAdd: function () {
                ui.badge = L.DomUtil.create("div", "atlas-year-badge atlas-time-badge");
                ui.badge.setAttribute("aria-live", "polite");
                ui.badge.style.display = "none";
                return ui.badge;
            }
        });
        new Badge().addTo(map);
        playButton();
        style();
    }
    function playButton() {
        ui.play.textContent = time.playing ? "❚❚" : "▶";
        ui.play.title = ui.play.ariaLabel = time.playing ? "Pause" : "Play";
        ui.play.setAttribute("aria-label", ui.play.title);
    }

    // ---- Play ---------------------------------------------------------------------------
    // The windows played, as view/playback.py's windows(): one step at a time, a range growing
    // from its first step, or a window of the chosen width sliding on; from the chosen range, or
    // from its one step to the end.
    function plan(a, b, mode) {
        var last = stepCount() - 1, end = b > a ? b : last, windows = [], k;
        if (mode === "sliding" && b > a) {
            for (k = a; k + (b - a) <= last; k++) { windows.push([k, k + (b - a)]); }
        } else if (mode === "growing") {
            for (k = a; k <= end; k++) { windows.push([a, k]); }
        } else {
            for (k = a; k <= end; k++) { windows.push([k, k]); }
        }
        return windows;
    }
    function play() {
        var a = +ui.from.value, b = +ui.to.value;
        time.playing = {windows: plan(a, b, ui.mode.value), next: 0, chosen: [a, b], at: 0};
        time.playStats = {steps: 0, ms: 0, began: performance.now()};
        playButton();
        requestAnimationFrame(tick);
    }
    function tick(now) {
        var playing = time.playing;
        if (!playing) { return; }
        if (now - playing.at >= 1000 / +ui.speed.value) {
            playing.at = now;
            if (playing.next >= playing.windows.length) { stop(false, true); return; }
            var window_ = playing.windows[playing.next++], started = performance.now();
            badge(setHandles(window_[0], window_[1]));
            time.apply();
            time.playStats.steps += 1;
            time.playStats.ms += performance.now() - started;
        }
        requestAnimationFrame(tick);
    }
    // Pause keeps the window on screen and tells the app; the end gives the chosen range back.
    function stop(tell, ended) {
        var playing = time.playing;
        time.playing = null;
        playButton();
        if (!playing) { return; }
        time.playStats.elapsed = performance.now() - time.playStats.began;
        if (ended) {
            setHandles(playing.chosen[0], playing.chosen[1]);
            time.apply();
            badge("");
            return;
        }
        badgeLater();
        if (tell) { send(); }
    }

    // ---- set up by the app's time group, each time the page sends its layers -------------
    time.configure = function (given) {
        data = given;
        var first = dateOf(data.axis[0]);
        firstYear = first.getUTCFullYear();
        weekZero = data.axis[0] - ((first.getUTCDay() + 6) % 7);  // the Monday on or before
        if (data.steps.indexOf(time.unit) < 0) { time.unit = "year"; }
        // A range the app chose finer than years opens in the steps it was made with.
        if (time.unit === "year" && data.steps.length > 1 &&
            (dateOf(data.range[0]).getUTCMonth() || dateOf(data.range[0]).getUTCDate() > 1)) { time.unit = "month"; }
        if (!control) { build(); }
        units();
        time.records = collect();
        if (!time.playing) { axisFor(data.range); time.range = data.range; paintTrack(); }
        time.apply();
        tellDrawn();
    };
    time.play = play;
    time.pause = function () { stop(true); };

    function style() {
        if (document.getElementById("atlas-time-style")) { return; }
        var css = document.createElement("style");
        css.id = "atlas-time-style";
        css.textContent = [
            ".atlas-time { background: rgba(255,255,255,.94); border-radius: 8px; padding: 6px 10px 4px;",
            "  box-shadow: 0 1px 4px rgba(0,0,0,.3); width: min(560px, calc(100vw - 90px)); font-size: 12.5px; color: #222; }",
            ".atlas-time-row { display: flex; align-items: center; gap: 8px; }",
            ".atlas-time-play { width: 32px; height: 32px; border-radius: 50%; border: 1px solid #1f6fb2; background: #1f6fb2;",
            "  color: #fff; font-size: 13px; cursor: pointer; flex: none; }",
            ".atlas-time-play:focus-visible, .atlas-time input:focus-visible { outline: 3px solid #f0b400; outline-offset: 1px; }",
            ".atlas-time-track { position: relative; flex: 1; height: 32px; min-width: 120px; }",
            ".atlas-time-base, .atlas-time-fill { position: absolute; top: 14px; height: 4px; border-radius: 2px; }",
            ".atlas-time-base { left: 0; right: 0; background: #c9d3dc; }",
            ".atlas-time-fill { background: #1f6fb2; }",
            ".atlas-time-track input { position: absolute; left: -8px; width: calc(100% + 16px); top: 6px; margin: 0; height: 20px;",
            "  background: none; pointer-events: none; -webkit-appearance: none; appearance: none; }",
            ".atlas-time-track input::-webkit-slider-runnable-track { background: none; height: 20px; }",
            ".atlas-time-track input::-webkit-slider-thumb { pointer-events: auto; -webkit-appearance: none; width: 20px;",
            "  height: 20px; border-radius: 50%; background: #fff; border: 3px solid #1f6fb2; cursor: grab; }",
            ".atlas-time-track input::-moz-range-thumb { pointer-events: auto; width: 16px; height: 16px; border-radius: 50%;",
            "  background: #fff; border: 3px solid #1f6fb2; cursor: grab; }",
            ".atlas-time-label { font-weight: 700; white-space: nowrap; min-width: 5.5em; text-align: right; }",
            ".atlas-time-options summary { cursor: pointer; color: #444; font-size: 11.5px; }",
            ".atlas-time-settings { display: flex; flex-wrap: wrap; gap: 4px 12px; padding: 4px 0 2px; }",
            ".atlas-time-settings select { font: inherit; }"
        ].join("\n");
        document.head.appendChild(css);
    }
})({{MAP}});
