// The atlas's behaviour inside the Leaflet map, written once per map as map.atlas.
//
// - Panes stack the layers so points always lie over lines, halos and areas.
// - Point marks sharing a spot are moved apart on screen (with a thin leader line
//   to where they belong), so every mark's centre is its own to click.
// - Labels (towns, countries, regions) are placed by one routine that tries
//   several positions round each anchor and drops a label rather than overlap.
// - A click where several marks overlap opens a list to choose from.
// Layers talk to it through feature properties and map.atlas.addLabels/removeLabels.
(function (map) {
    if (map.atlas) { return; }
    var atlas = map.atlas = {labels: {}};

    // Bottom to top. Areas and halos never sit above anything that can be clicked.
    var PANES = {"atlas-areas": 380, "atlas-halos": 390, "atlas-imported": 400, "atlas-leaders": 405, "atlas-places": 410,
                 "atlas-events": 420, "atlas-towns": 430, "atlas-counts": 440, "atlas-labels": 620, "atlas-focus": 640};
    Object.keys(PANES).forEach(function (name) {
        var pane = map.getPane(name) || map.createPane(name);
        pane.style.zIndex = PANES[name];
    });
    map.getPane("atlas-halos").style.pointerEvents = "none";
    map.getPane("atlas-leaders").style.pointerEvents = "none";
    map.getPane("atlas-labels").style.pointerEvents = "none";
    map.getPane("atlas-counts").style.pointerEvents = "none";
    L.DomUtil.addClass(map.getPane("atlas-labels"), "leaflet-zoom-hide");

    // ---- shapes: an event's type shows in its shape as well as its colour --------------
    // Circle markers drawn as a square, diamond or triangle inside the circle they replace
    // (props.shape), so the spacing of marks, made for circles, still keeps every centre free.
    function shapedPath() {
        var p = this._point, r = this._radius, d;
        if (this._empty()) { this._renderer._setPath(this, "M0 0"); return; }
        var shape = this.feature.properties.shape;
        if (shape === "square") {
            var a = r * 0.75;
            d = "M" + (p.x - a) + "," + (p.y - a) + "h" + (2 * a) + "v" + (2 * a) + "h" + (-2 * a) + "z";
        } else if (shape === "diamond") {
            var b = r;
            d = "M" + p.x + "," + (p.y - b) + "L" + (p.x + b) + "," + p.y + "L" + p.x + "," + (p.y + b) +
                "L" + (p.x - b) + "," + p.y + "z";
        } else {
            var c = r, up = shape === "triangle" ? -1 : 1;
            d = "M" + p.x + "," + (p.y + up * c) + "L" + (p.x + c * 0.87) + "," + (p.y - up * c * 0.5) +
                "L" + (p.x - c * 0.87) + "," + (p.y - up * c * 0.5) + "z";
        }
        this._renderer._setPath(this, d);
    }
    map.on("layeradd", function (event) {
        var layer = event.layer, props = layer.feature && layer.feature.properties;
        if (props && props.shape && props.shape !== "circle" && layer instanceof L.CircleMarker &&
            layer._updatePath !== shapedPath) {
            layer._updatePath = shapedPath;
            if (layer._renderer && layer._point) { layer._updatePath(); }
        }
    });

    // ---- points: keep every centre free -------------------------------------------
    var STYLE = {{ENGINE}};  // sizes from the style catalogue (style.ENGINE), shared with pictures
    var GAP = STYLE.gap;  // pixels between a mark's rim and the next mark's centre
    var leaders = L.layerGroup().addTo(map);

    function pointLayers() {
        var found = [];
        map.eachLayer(function (layer) {
            var props = layer.feature && layer.feature.properties;
            // Imported marks (thousands) keep their spot: they lie under the reports' marks.
            if (props && props.mark && props.mark !== "imported" && layer.getLatLng) { found.push(layer); }
        });
        return found;
    }

    function spiral(index, step) {  // hexagonal rings round the home point
        if (index === 0) { return [0, 0]; }
        var ring = 1, first = 1;
        while (index >= first + 6 * ring) { first += 6 * ring; ring += 1; }
        var angle = 2 * Math.PI * (index - first) / (6 * ring) + ring * 0.5;
        return [ring * step * Math.cos(angle), ring * step * Math.sin(angle)];
    }

    // Event marks shrink on a small, zoomed-out map (a phone) so a cluster does not cover a country.
    function eventRadius() {
        var zoom = map.getZoom();
        return zoom < 3.75 ? 4.5 : zoom < 4.75 ? 6 : 7;
    }

    atlas.layoutPoints = function () {
        var layers = pointLayers();
        var markRadius = eventRadius();
        leaders.clearLayers();
        layers.forEach(function (layer) {
            if (!layer._atlasHome) { layer._atlasHome = layer.getLatLng(); }
        });
        // Towns first (reference marks move least), then places without a town, then events by date.
        var rank = {town: 0, place: 1, event: 2};
        layers.sort(function (a, b) {
            var pa = a.feature.properties, pb = b.feature.properties;
            return (rank[pa.mark] - rank[pb.mark]) || ((pb.weight || 0) - (pa.weight || 0)) ||
                String(pa.order || pa.id).localeCompare(String(pb.order || pb.id));
        });
        var placed = [], townAt = {};
        layers.forEach(function (layer) {
            var props = layer.feature.properties;
            var home = map.latLngToLayerPoint(layer._atlasHome);
            if (props.mark === "place" && townAt[props.place]) {  // a place's ring follows its town dot
                layer.setLatLng(map.layerPointToLatLng(townAt[props.place]));
                return;
            }
            // A story step's focus is twice the size of the rest, to be read from across a room.
            if (props.mark === "event") { layer.setRadius(props.highlighted ? markRadius * 2 : markRadius); }
            var radius = props.mark === "place" ? STYLE.place_spread_radius : layer.getRadius();
            var step = Math.max(radius, 7) * 2 + 1;
            var spot = home;
            for (var i = 0; i < 400; i++) {
                var offset = spiral(i, step / 1.6);
                var candidate = L.point(home.x + offset[0], home.y + offset[1]);
                var clear = placed.every(function (other) {
                    return candidate.distanceTo(other.at) >= Math.max(radius, other.radius) + GAP;
                });
                if (clear) { spot = candidate; break; }
            }
            placed.push({at: spot, radius: radius});
            if (props.mark === "town") { townAt[props.place] = spot; }
            layer.setLatLng(map.layerPointToLatLng(spot));
            if (spot.distanceTo(home) > radius) {
                L.polyline([layer._atlasHome, layer.getLatLng()], {
                    pane: "atlas-leaders", interactive: false, color: "#555", weight: 1, opacity: 0.7
                }).addTo(leaders);
            }
        });
    };

    // ---- labels --------------------------------------------------------------------
    var labelPane = map.getPane("atlas-labels");

    atlas.addLabels = function (key, items) {
        atlas.removeLabels(key);
        atlas.labels[key] = items.map(function (item) {
            var element = L.DomUtil.create("div", "atlas-map-label atlas-label-" + item.kind, labelPane);
            element.textContent = item.text;  // text, never markup
            if (item.colour) { element.style.color = item.colour; }
            return {item: item, element: element};
        });
        atlas.relayout();
    };

    atlas.removeLabels = function (key) {
        (atlas.labels[key] || []).forEach(function (label) { L.DomUtil.remove(label.element); });
        delete atlas.labels[key];
    };

    atlas.setLabelSize = function (pixels) {
        atlas.labelSize = pixels;
        map.getContainer().style.setProperty("--atlas-label-size", pixels + "px");
        Object.keys(atlas.labels).forEach(function (key) {
            atlas.labels[key].forEach(function (label) { label.size = null; });
        });
        atlas.relayout();
    };

    function overlaps(a, b) {
        return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    }

    // Where a label may go round its anchor, best first.
    function candidates(item, width, height) {
        var d = (item.radius || 4) + 3, h = height / 2;
        if (item.anchor === "centre") {
            return [[-width / 2, -h], [-width / 2, -h - height], [-width / 2, h]];
        }
        return [[d, -h], [-d - width, -h], [d - 2, -height - d + 4], [d - 2, d - 4],
                [-d - width + 2, -height - d + 4], [-d - width + 2, d - 4], [-width / 2, -height - d],
                [-width / 2, d]];
    }

    // What labels keep off, as boxes in the map's pixels: the map's controls (the legend, the zoom
    // buttons), a story step's focus marks, and whatever else registers (gathered counts); and
    // what they had better keep off but may cover if nowhere else is free (gathered discs' bodies).
    atlas.obstacles = [];
    atlas.softObstacles = [];
    function controlBoxes() {
        var frame = map.getContainer().getBoundingClientRect(), boxes = [];
        map.getContainer().querySelectorAll(".leaflet-control").forEach(function (control) {
            var r = control.getBoundingClientRect();
            if (r.width && r.height) {
                boxes.push({left: r.left - frame.left - 3, top: r.top - frame.top - 3,
                            right: r.right - frame.left + 3, bottom: r.bottom - frame.top + 3});
            }
        });
        return boxes;
    }
    function focusBoxes() {
        return pointLayers().filter(function (layer) { return layer.feature.properties.highlighted; }).map(function (layer) {
            var at = map.latLngToContainerPoint(layer.getLatLng()), r = layer.getRadius() + 4;
            return {left: at.x - r, top: at.y - r, right: at.x + r, bottom: at.y + r};
        });
    }

    atlas.layoutLabels = function () {
        // A focus mark is drawn above the labels, so a label that finds no spot clear of it may still go
        // beside it, half under it, rather than be left out (Timbuktu's name beside its taking).
        var size = map.getSize(), taken = controlBoxes(), focus = focusBoxes(), all = [];
        atlas.obstacles.forEach(function (boxes) { taken = taken.concat(boxes()); });
        atlas.softObstacles.forEach(function (boxes) { focus = focus.concat(boxes()); });
        Object.keys(atlas.labels).forEach(function (key) { all = all.concat(atlas.labels[key]); });
        all.sort(function (a, b) { return (b.item.priority || 0) - (a.item.priority || 0); });
        all.forEach(function (label) {
            var element = label.element;
            element.style.display = "block";
            if (!label.size) { label.size = [element.offsetWidth, element.offsetHeight]; }
            var width = label.size[0], height = label.size[1];
            var anchor = map.latLngToContainerPoint(label.item.latlng);
            // The first free spot clear of the focus marks, else the free spot that they cover least.
            var chosen = null, least = Infinity;
            candidates(label.item, width, height).some(function (offset) {
                var box = {left: anchor.x + offset[0], top: anchor.y + offset[1]};
                box.right = box.left + width;
                box.bottom = box.top + height;
                var inside = box.left >= 2 && box.top >= 2 && box.right <= size.x - 2 && box.bottom <= size.y - 2;
                if (!inside || taken.some(function (other) { return overlaps(box, other); })) { return false; }
                var covered = focus.reduce(function (sum, other) {
                    return sum + Math.max(0, Math.min(box.right, other.right) - Math.max(box.left, other.left)) *
                        Math.max(0, Math.min(box.bottom, other.bottom) - Math.max(box.top, other.top));
                }, 0);
                if (covered < least) { chosen = box; least = covered; }
                return covered === 0;
            });
            if (!chosen) {
                element.style.display = "none";
                label.shown = false;
                return;
            }
            taken.push(chosen);
            label.shown = true;
            L.DomUtil.setPosition(element, map.containerPointToLayerPoint([chosen.left, chosen.top]));
        });
    };

    var pending = null;
    atlas.relayout = function () {
        if (pending) { return; }
        pending = setTimeout(function () {
            pending = null;
            atlas.layoutPoints();
            atlas.layoutLabels();
        }, 0);
    };
    map.on("zoomend viewreset", atlas.relayout);
    map.on("moveend resize", function () { atlas.layoutLabels(); });
    // The legend opened or folded: labels move off it (toggle does not bubble, but it is captured).
    map.getContainer().addEventListener("toggle", function () { atlas.layoutLabels(); }, true);

    // ---- tooltips stay inside the map ------------------------------------------------
    // A tooltip near an edge is moved in rather than cut off by the map's frame.
    if (!L.Tooltip.prototype._atlasInside) {
        var setPosition = L.Tooltip.prototype._setPosition;
        L.Tooltip.prototype._atlasInside = true;
        L.Tooltip.prototype._setPosition = function (position) {
            setPosition.call(this, position);
            var element = this._container, owner = this._map;
            if (!element || !owner || this.options.permanent) { return; }
            var box = element.getBoundingClientRect(), frame = owner.getContainer().getBoundingClientRect();
            var dx = Math.max(0, frame.left + 4 - box.left) - Math.max(0, box.right - (frame.right - 4));
            var dy = Math.max(0, frame.top + 4 - box.top) - Math.max(0, box.bottom - (frame.bottom - 4));
            if (dx || dy) { L.DomUtil.setPosition(element, L.DomUtil.getPosition(element).add([dx, dy])); }
        };
    }

    // ---- clicks where marks overlap: let the user choose ----------------------------
    // What a click at (x, y) could mean: the points there, else the place circles, else the
    // outlines within a few pixels (a thin line is hard to hit exactly).
    var OUTLINE_TOLERANCE = 4;

    function marksAt(x, y) {
        var points = [], circles = [], areas = [], seen = {};
        function collect(px, py, outlinesOnly) {
            document.elementsFromPoint(px, py).forEach(function (element) {
                var layer = element._leaflet_id && map._targets[element._leaflet_id];
                var props = layer && layer.feature && layer.feature.properties;
                if (!props || !props.select || seen[props.select] || (outlinesOnly && props.mark)) { return; }
                seen[props.select] = true;
                (props.mark === "place" ? circles : props.mark ? points : areas).push(layer);
            });
        }
        collect(x, y, false);
        if (points.length || circles.length) { return points.length ? points : circles; }
        [-1, 0, 1].forEach(function (dx) {
            [-1, 0, 1].forEach(function (dy) { collect(x + dx * OUTLINE_TOLERANCE, y + dy * OUTLINE_TOLERANCE, true); });
        });
        return areas;
    }

    atlas.choose = function (layer) {
        map.closePopup();
        layer.fire("click", {latlng: layer.getLatLng ? layer.getLatLng() : map.getCenter()}, true);
    };

    function chooser(layers, latlng) {
        map.eachLayer(function (layer) { if (layer.closeTooltip) { layer.closeTooltip(); } });
        var list = L.DomUtil.create("div", "atlas-chooser");
        var heading = L.DomUtil.create("div", "atlas-chooser-heading", list);
        heading.textContent = layers.length + " marks here: choose one";
        layers.forEach(function (layer) {
            var button = L.DomUtil.create("button", "atlas-chooser-item", list);
            button.type = "button";
            // The tooltip property is escaped HTML made by the layers (layers.common.escape).
            button.innerHTML = layer.feature.properties.tooltip || "";
            button.setAttribute("data-select", layer.feature.properties.select);
            L.DomEvent.on(button, "click", function (event) {
                L.DomEvent.stop(event);
                atlas.choose(layer);
            });
        });
        L.popup({maxWidth: 340, className: "atlas-chooser-popup"}).setLatLng(latlng).setContent(list).openOn(map);
    }

    // A point mark is a target of at least TARGET_RADIUS pixels round its centre, however small it is
    // drawn: a click that misses every mark by a little takes the nearest one.
    var TARGET_RADIUS = 12;
    atlas.gridHit = function () { return false; };  // the gathered layer says when a click is its own
    function nearestPoint(event) {
        var at = map.mouseEventToContainerPoint(event), best = null, bestDistance = Infinity;
        pointLayers().forEach(function (layer) {
            var props = layer.feature.properties;
            if (!props.select || !layer._map) { return; }
            var distance = map.latLngToContainerPoint(layer.getLatLng()).distanceTo(at);
            if (distance <= Math.max(TARGET_RADIUS, layer.getRadius()) && distance < bestDistance) {
                best = layer; bestDistance = distance;
            }
        });
        return best;
    }

    map.getContainer().addEventListener("click", function (event) {
        var onMap = event.target === map.getContainer() || (event.target.closest && event.target.closest(".leaflet-map-pane"));
        if (!onMap || event.target.closest(".leaflet-popup")) { return; }  // buttons and boxes drawn over the map
        var layers = marksAt(event.clientX, event.clientY);
        var pointHit = layers.length && layers[0].feature.properties.mark;
        var near = !pointHit && !atlas.gridHit(event) ? nearestPoint(event) : null;
        if (near) { layers = [near]; }
        var target = event.target._leaflet_id && map._targets[event.target._leaflet_id];
        if (layers.length === 0 || (layers.length === 1 && layers[0] === target)) { return; }
        event.stopPropagation();
        if (layers.length === 1) { atlas.choose(layers[0]); } else { chooser(layers, map.mouseEventToLatLng(event)); }
    }, true);

    // ---- full screen -----------------------------------------------------------------
    var FullScreen = L.Control.extend({
        options: {position: "topleft"},
        onAdd: function () {
            var bar = L.DomUtil.create("div", "leaflet-bar atlas-fullscreen");
            var button = L.DomUtil.create("a", "", bar);
            button.href = "#";
            button.setAttribute("role", "button");
            button.title = button.ariaLabel = "Full screen";
            // Four corners, drawn: no font on the machine is needed for the icon.
            button.innerHTML = '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" ' +
                'style="vertical-align:middle" fill="none" stroke="#333" stroke-width="2">' +
                '<path d="M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5"/></svg>';
            L.DomEvent.on(button, "click", function (event) {
                L.DomEvent.stop(event);
                var doc = document;
                if (doc.fullscreenElement) { doc.exitFullscreen(); }
                else if (map.getContainer().requestFullscreen) { map.getContainer().requestFullscreen(); }
            });
            return bar;
        }
    });
    new FullScreen().addTo(map);
    document.addEventListener("fullscreenchange", function () {
        setTimeout(function () { map.invalidateSize(); atlas.relayout(); }, 100);
    });

    // ---- online tiles that do not load -----------------------------------------------
    // ---- "save this view as a step": the extent on screen, sent to the app ------------
    atlas.offerSaveView = function () {
        var SaveView = L.Control.extend({
            options: {position: "topleft"},
            onAdd: function () {
                var bar = L.DomUtil.create("div", "leaflet-bar atlas-save-view");
                var button = L.DomUtil.create("a", "", bar);
                button.href = "#";
                button.setAttribute("role", "button");
                button.title = button.ariaLabel = "Save this view as a story step";
                button.textContent = "+ Step";
                L.DomEvent.disableClickPropagation(bar);
                L.DomEvent.on(button, "click", function (event) {
                    L.DomEvent.stop(event);
                    var view = map.getBounds();
                    var round = function (value) { return Math.round(value * 100) / 100; };
                    if (window.Streamlit && window.Streamlit.setComponentValue) {
                        window.Streamlit.setComponentValue({last_active_drawing: {type: "Feature", geometry: null,
                            properties: {action: "save-view", at: Date.now(),
                                         bbox: [round(view.getWest()), round(view.getSouth()),
                                                round(view.getEast()), round(view.getNorth())]}}});
                    }
                });
                return bar;
            }
        });
        new SaveView().addTo(map);
    };

    // ---- many events: gathered into cells, drawn on one canvas -------------------------
    // The app sends every event shown as integer Web Mercator positions and a type number
    // (geo/event_grid.py); here they are gathered into cells of 2^cellBits screen pixels at
    // the rounded zoom, with the same integer shifts the app uses to list a cell's events.
    // A cell holding one event, or a view holding few, shows each event; a click on a mark
    // tells the app which cell or event it was, as a click on any mark does.
    function decoded(text, Type) {
        var bytes = Uint8Array.from(atob(text), function (c) { return c.charCodeAt(0); });
        return new Type(bytes.buffer);
    }
    function abbreviated(count) {
        if (count < 1000) { return String(count); }
        if (count < 10000) { return (Math.round(count / 100) / 10) + "k"; }
        return Math.round(count / 1000) + "k";
    }
    // data.points: the events, or the address the app published them at (fetched once, then
    // kept by the browser's cache: the same filter gives the same address).
    atlas.eventGrid = function (data) {
        var removed = false, controller = {remove: function () { removed = true; }};
        if (typeof data.points === "string") {
            fetch(data.points).then(function (response) { return response.json(); }).then(function (points) {
                if (!removed) { controller.remove = gridOf(data, points); }
            });
        } else {
            controller.remove = gridOf(data, data.points);
        }
        return controller;
    };
    // Discs start at the mean of their events; a disc that touches another moves towards its
    // cell's centre, a quarter of the way at a time, until none touch (at the centres none can).
    var DISC_GAP = 2;
    function apart(discs) {
        var shift = discs.map(function () { return 0; });
        function at(d) {
            var t = shift[d];
            return [discs[d].x + t * (discs[d].cx - discs[d].x), discs[d].y + t * (discs[d].cy - discs[d].y)];
        }
        for (var round = 0; round < 6; round++) {
            var moved = false, spots = discs.map(function (disc, d) { return at(d); });
            var touching = discs.map(function () { return false; });
            for (var a = 0; a < discs.length; a++) {
                for (var b = a + 1; b < discs.length; b++) {
                    var dx = spots[a][0] - spots[b][0], dy = spots[a][1] - spots[b][1], room = discs[a].r + discs[b].r + DISC_GAP;
                    if (dx * dx + dy * dy < room * room) { touching[a] = touching[b] = true; }
                }
            }
            touching.forEach(function (touches, d) {
                if (touches && shift[d] < 1) { shift[d] = Math.min(1, shift[d] + 0.25); moved = true; }
            });
            if (!moved) { break; }
        }
        return discs.map(function (disc, d) {
            var spot = at(d);
            return {x: spot[0], y: spot[1], r: disc.r};
        });
    }

    function gridOf(data, points) {
        var xs = decoded(points.x, Uint32Array), ys = decoded(points.y, Uint32Array);
        var kinds = decoded(points.type, Uint8Array), owners = decoded(points.dataset, Uint8Array);
        var count = points.count, style = data.style, types = points.types;
        data.datasets = points.datasets;
        var canvas = L.DomUtil.create("canvas", "atlas-event-grid leaflet-zoom-hide");
        canvas.style.pointerEvents = "none";
        canvas.style.position = "absolute";
        canvas.setAttribute("data-events", String(count));
        map.getPane(data.pane).appendChild(canvas);
        // The counts on their own canvas above the reports' marks: a place circle or an event
        // drawn over a disc never hides its number.
        var countCanvas = L.DomUtil.create("canvas", "atlas-event-counts leaflet-zoom-hide");
        countCanvas.style.pointerEvents = "none";
        countCanvas.style.position = "absolute";
        map.getPane("atlas-counts").appendChild(countCanvas);
        var marks = [], tooltip = L.tooltip({direction: "top", offset: [0, -6], className: "atlas-grid-tooltip"});

        function draw() {
            var size = map.getSize(), ratio = window.devicePixelRatio || 1;
            L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
            canvas.width = size.x * ratio; canvas.height = size.y * ratio;
            canvas.style.width = size.x + "px"; canvas.style.height = size.y + "px";
            var context = canvas.getContext("2d");
            context.setTransform(ratio, 0, 0, ratio, 0, 0);
            L.DomUtil.setPosition(countCanvas, map.containerPointToLayerPoint([0, 0]));
            countCanvas.width = size.x * ratio; countCanvas.height = size.y * ratio;
            countCanvas.style.width = size.x + "px"; countCanvas.style.height = size.y + "px";
            var countContext = countCanvas.getContext("2d");
            countContext.setTransform(ratio, 0, 0, ratio, 0, 0);
            marks = [];
            var zoom = map.getZoom(), level = Math.round(zoom), shift = data.positionBits - 8 - level + data.cellBits;
            var scale = 256 * Math.pow(2, zoom) / Math.pow(2, data.positionBits);
            var origin = map.getPixelBounds().min;
            var cellMin = Math.floor(Math.max(0, (origin.x - 64) / scale)) >>> shift;
            var cellMax = Math.floor((origin.x + size.x + 64) / scale) >>> shift;
            var rowMin = Math.floor(Math.max(0, (origin.y - 64) / scale)) >>> shift;
            var rowMax = Math.floor((origin.y + size.y + 64) / scale) >>> shift;
            // Which cell each event near the view falls in.
            var cellOf = new Int32Array(count), cells = new Map(), keys = [], inView = 0, i;
            // Each event's strength in the time slider's range (atlas.time, time_filter.js); 0: hidden.
            var strength = atlas.time ? atlas.time.visibility(points) : null;
            for (i = 0; i < count; i++) {
                var column = xs[i] >>> shift, row = ys[i] >>> shift;
                if (column < cellMin || column > cellMax || row < rowMin || row > rowMax) { cellOf[i] = -1; continue; }
                if (strength && !strength[i]) { cellOf[i] = -1; continue; }
                var key = column * 65536 + row, slot = cells.get(key);
                if (slot === undefined) { slot = keys.length; cells.set(key, slot); keys.push(key); }
                cellOf[i] = slot; inView++;
            }
            var one = inView <= data.individualLimit || zoom >= data.detailZoom;
            // Cells are 64 px at the rounded zoom, from 45 to 90 px on screen: a disc stays inside
            // its cell's width, so discs drawn at their cells' centres never touch.
            var cellSize = Math.pow(2, data.cellBits + zoom - level), cellSpan = Math.pow(2, shift);
            var largest = Math.min(style.maxRadius, (cellSize - DISC_GAP) / 2);
            var n = new Uint32Array(keys.length), sx = new Float64Array(keys.length), sy = new Float64Array(keys.length);
            var byType = new Uint32Array(keys.length * types.length), last = new Int32Array(keys.length);
            for (i = 0; i < count; i++) {
                var s = cellOf[i];
                if (s < 0) { continue; }
                n[s]++; sx[s] += xs[i]; sy[s] += ys[i]; byType[s * types.length + kinds[i]]++; last[s] = i;
            }
            function single(index) {
                var px = xs[index] * scale - origin.x, py = ys[index] * scale - origin.y;
                var chosen = index === data.selectedIndex;
                context.beginPath();
                context.arc(px, py, style.radius + (chosen ? 2 : 0), 0, 2 * Math.PI);
                context.globalAlpha = style.fillOpacity * (strength ? strength[index] : 1);
                context.fillStyle = types[kinds[index]].colour; context.fill();
                context.globalAlpha = 1;
                context.setLineDash(chosen ? [] : style.dash);
                context.lineWidth = chosen ? 3.5 : style.weight;
                context.strokeStyle = chosen ? style.selected : style.edge; context.stroke();
                context.setLineDash([]);
                marks.push({x: px, y: py, r: Math.max(style.radius + 2, TARGET_RADIUS), index: index});
            }
            // The event picked (from a disc's list, the table or a link) inside a disc is still
            // marked where it lies, above the discs and their counts: a ring, as a picked event has.
            function chosenInDisc(index, drawnAlone) {
                if (index < 0 || index >= count || cellOf[index] < 0) { return null; }
                var px = xs[index] * scale - origin.x, py = ys[index] * scale - origin.y;
                if (drawnAlone) { return {x: px, y: py}; }
                context.beginPath(); context.arc(px, py, style.radius + 4, 0, 2 * Math.PI);
                context.lineWidth = 6; context.strokeStyle = style.labelHalo; context.stroke();
                context.beginPath(); context.arc(px, py, style.radius + 2, 0, 2 * Math.PI);
                context.fillStyle = types[kinds[index]].colour; context.fill();
                context.lineWidth = 3.5; context.strokeStyle = style.selected; context.stroke();
                marks.push({x: px, y: py, r: Math.max(style.radius + 4, TARGET_RADIUS), index: index});
                return {x: px, y: py};
            }
            var gathered = [], alone = [];
            for (var slot = 0; slot < keys.length && !one; slot++) {
                (n[slot] === 1 ? alone : gathered).push(slot);
            }
            // The biggest first and single events last: every mark keeps a part on top to click.
            gathered.sort(function (a, b) { return n[b] - n[a]; });
            countContext.font = "700 " + style.labelSize + "px Helvetica Neue, Arial, sans-serif";
            countContext.textAlign = "center"; countContext.textBaseline = "middle";
            // A gathered mark: a pale disc with its count, ringed by its types in proportion.
            var labels = [], discs = apart(gathered.map(function (slot) {
                var key = keys[slot], column = Math.floor(key / 65536), row = key % 65536;
                return {x: sx[slot] / n[slot] * scale - origin.x, y: sy[slot] / n[slot] * scale - origin.y,
                        cx: (column + 0.5) * cellSpan * scale - origin.x, cy: (row + 0.5) * cellSpan * scale - origin.y,
                        r: Math.min(largest, style.minRadius + style.growth * Math.log2(n[slot]))};
            }));
            gathered.forEach(function (slot, g) {
                var px = discs[g].x, py = discs[g].y, radius = discs[g].r;
                var key = keys[slot], column = Math.floor(key / 65536), row = key % 65536;
                var cell = level + ":" + column + ":" + row, chosen = cell === data.selectedCell;
                var mix = [], t;
                for (t = 0; t < types.length; t++) {
                    var k = byType[slot * types.length + t];
                    if (k) { mix.push([k, t]); }
                }
                mix.sort(function (a, b) { return b[0] - a[0]; });
                if (chosen) {
                    context.beginPath(); context.arc(px, py, radius + 3, 0, 2 * Math.PI);
                    context.lineWidth = 4; context.strokeStyle = style.selected; context.stroke();
                }
                context.beginPath(); context.arc(px, py, radius, 0, 2 * Math.PI);
                context.globalAlpha = style.clusterOpacity; context.fillStyle = style.clusterFill; context.fill();
                context.globalAlpha = 1;
                var angle = -Math.PI / 2;
                context.lineWidth = style.ring;
                mix.forEach(function (part) {
                    var sweep = 2 * Math.PI * part[0] / n[slot];
                    context.beginPath();
                    context.arc(px, py, radius - style.ring / 2, angle, angle + sweep);
                    context.strokeStyle = types[part[1]].colour; context.stroke();
                    angle += sweep;
                });
                context.beginPath(); context.arc(px, py, radius, 0, 2 * Math.PI);
                context.lineWidth = 1; context.strokeStyle = style.clusterEdge; context.stroke();
                labels.push([abbreviated(n[slot]), px, py]);
                marks.push({x: px, y: py, r: Math.max(radius, TARGET_RADIUS), cell: cell, n: n[slot], mix: mix});
            });
            // Counts after every disc, so a neighbour's disc never hides one.
            countBoxes = labels.map(function (label) {
                countContext.lineWidth = 3; countContext.strokeStyle = style.labelHalo;
                countContext.strokeText(label[0], label[1], label[2]);
                countContext.fillStyle = style.labelInk; countContext.fillText(label[0], label[1], label[2]);
                var half = countContext.measureText(label[0]).width / 2 + 2, high = style.labelSize / 2 + 2;
                return {left: label[1] - half, top: label[2] - high, right: label[1] + half, bottom: label[2] + high};
            });
            alone.forEach(function (slot) { single(last[slot]); });
            if (one) { for (i = 0; i < count; i++) { if (cellOf[i] >= 0) { single(i); } } }
            canvas.atlasSelected = chosenInDisc(data.selectedIndex, one || n[cellOf[data.selectedIndex]] === 1);
            canvas.atlasMarks = marks;  // for tests and tools that look at what was drawn
            canvas.atlasDiscs = discs;
            canvas.atlasCounts = countBoxes;
            discBoxes = discs.map(function (disc) {
                return {left: disc.x - disc.r, top: disc.y - disc.r, right: disc.x + disc.r, bottom: disc.y + disc.r};
            });
            atlas.layoutLabels();  // town labels move off the counts just drawn
            canvas.setAttribute("data-marks", String(marks.length));
            canvas.setAttribute("data-gathered", String(gathered.length));
            canvas.setAttribute("data-in-range", String(strength ? points._inRange : count));
        }

        var countBoxes = [], discBoxes = [];
        function counts() { return countBoxes; }
        function discBodies() { return discBoxes; }
        atlas.obstacles.push(counts);
        atlas.softObstacles.push(discBodies);
        atlas.gridHit = function (event) { return !!markAt(map.mouseEventToContainerPoint(event)); };
        function markAt(point) {
            for (var m = marks.length - 1; m >= 0; m--) {  // the last drawn lies on top
                var mark = marks[m], dx = point.x - mark.x, dy = point.y - mark.y;
                if (dx * dx + dy * dy <= mark.r * mark.r) { return mark; }
            }
            return null;
        }
        function describe(mark) {
            var text = document.createElement("div");
            if (mark.cell) {
                var head = document.createElement("b");
                head.textContent = mark.n.toLocaleString("en") + " events of your data here";
                text.appendChild(head);
                mark.mix.slice(0, 3).forEach(function (part) {
                    var line = document.createElement("div");
                    line.textContent = part[0].toLocaleString("en") + " " + types[part[1]].label;
                    text.appendChild(line);
                });
                var hint = document.createElement("i");
                hint.textContent = "Click to list them";
                text.appendChild(hint);
            } else {
                var kind = document.createElement("b");
                kind.textContent = types[kinds[mark.index]].label;
                text.appendChild(kind);
                var owner = document.createElement("div");
                owner.textContent = data.datasets[owners[mark.index]] + " (imported, not from the reports)";
                text.appendChild(owner);
                var more = document.createElement("i");
                more.textContent = "Click for its details";
                text.appendChild(more);
            }
            return text;
        }
        // Listened to on the map's element, before Leaflet: the basemap's countries (which carry
        // their names as tooltips) would otherwise take every click and move over the canvas.
        var container = map.getContainer();
        function overGrid(event) {
            if (event.cancelBubble) { return null; }  // the overlap chooser took the click
            var target = event.target;
            if (target.closest && target.closest(".leaflet-control, .leaflet-popup")) { return null; }
            var layer = target._leaflet_id && map._targets[target._leaflet_id];
            if (layer && layer.feature && layer.feature.properties && layer.feature.properties.select) {
                return null;  // the reports' marks and outlines lie on top
            }
            return markAt(map.mouseEventToContainerPoint(event));
        }
        function onClick(event) {
            var mark = overGrid(event);
            if (!mark) { return; }
            event.stopPropagation();
            var select = mark.cell ? "cell:" + mark.cell : "imported-at:" + data.token + ":" + mark.index;
            var feature = {type: "Feature", geometry: null, properties: {select: select, at: Date.now()}};
            // As a click on a mark is told: streamlit-folium sends what its global data holds.
            if (window.__GLOBAL_DATA__) { window.__GLOBAL_DATA__.last_active_drawing = feature; }
            if (window.Streamlit && window.Streamlit.setComponentValue) {
                window.Streamlit.setComponentValue({last_active_drawing: feature});
            }
            canvas.setAttribute("data-clicked", select);
        }
        function onMove(event) {
            var mark = overGrid(event);
            container.style.cursor = mark ? "pointer" : "";
            L.DomUtil[mark ? "addClass" : "removeClass"](container, "atlas-over-grid");
            if (!mark) { map.closeTooltip(tooltip); return; }
            tooltip.setLatLng(map.containerPointToLatLng([mark.x, mark.y - mark.r])).setContent(describe(mark));
            if (!map.hasLayer(tooltip)) { map.openTooltip(tooltip); }
        }
        map.on("moveend zoomend resize viewreset", draw);
        if (atlas.time) { atlas.time.listen(draw); }
        container.addEventListener("click", onClick, true);
        container.addEventListener("mousemove", onMove, true);
        draw();
        return function () {
            map.off("moveend zoomend resize viewreset", draw);
            if (atlas.time) { atlas.time.unlisten(draw); }
            atlas.obstacles = atlas.obstacles.filter(function (boxes) { return boxes !== counts; });
            atlas.softObstacles = atlas.softObstacles.filter(function (boxes) { return boxes !== discBodies; });
            atlas.gridHit = function () { return false; };
            container.removeEventListener("click", onClick, true);
            container.removeEventListener("mousemove", onMove, true);
            map.closeTooltip(tooltip);
            container.style.cursor = "";
            L.DomUtil.removeClass(container, "atlas-over-grid");
            L.DomUtil.remove(canvas);
            L.DomUtil.remove(countCanvas);
        };
    }

    atlas.watchTiles = function (tiles, offlineName) {
        var loaded = 0, failed = 0, box = null;
        tiles.on("tileload", function () { loaded += 1; if (box) { L.DomUtil.remove(box); box = null; } });
        tiles.on("tileerror", function () {
            failed += 1;
            if (box || loaded > 0 || failed < 3) { return; }
            box = L.DomUtil.create("div", "atlas-tile-error", map.getContainer());
            var text = L.DomUtil.create("div", "", box);
            text.textContent = "The map tiles could not be loaded: this basemap needs the internet.";
            var button = L.DomUtil.create("button", "", box);
            button.type = "button";
            button.textContent = "Use the bundled offline map";
            L.DomEvent.disableClickPropagation(box);
            // The map's frame may not reload the page: it asks the app, as a click on a mark does.
            L.DomEvent.on(button, "click", function () {
                if (window.Streamlit && window.Streamlit.setComponentValue) {
                    window.Streamlit.setComponentValue({last_active_drawing: {type: "Feature", geometry: null,
                        properties: {action: "use-offline-basemap", at: Date.now()}}});
                } else { text.textContent = "Pick '" + offlineName + "' under Basemap."; }
            });
        });
    };

    // ---- keyboard and screen readers: the map is a page's main part; every mark is a button ----------
    (function () {
        var container = map.getContainer();
        // The map's frame is a document of its own: give it a main landmark and a heading, unless its
        // page has them (an offline page).
        if (!document.querySelector("main, [role=main]")) {
            container.setAttribute("role", "main");
            container.setAttribute("aria-label", "Map");
        }
        if (!document.querySelector("h1")) {
            var heading = L.DomUtil.create("h1", "atlas-sr-only", container);
            heading.textContent = "Sahel Atlas map";
        }
        var css = document.createElement("style");
        css.textContent = ".atlas-sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; " +
            "clip: rect(0 0 0 0); white-space: nowrap; margin: -1px; }\n" +
            "path.atlas-keyed:focus-visible { outline: 3px solid #1a1a1a; outline-offset: 2px; stroke-width: 4; }\n" +
            ".atlas-chooser-item:focus-visible { outline: 3px solid #1a1a1a; }";
        document.head.appendChild(css);
        function spoken(html) {  // the tooltip's words (escaped HTML made by the layers), as plain text
            var scratch = document.createElement("div");
            scratch.innerHTML = String(html || "").replace(/<br\s*\/?>/gi, ", ");
            return scratch.textContent.replace(/\s+/g, " ").trim();
        }
        // Tab reaches each mark; Enter or Space does what a click does (its details, or the list of
        // marks at that spot); Escape closes the list (Leaflet's popup).
        map.on("layeradd", function (event) {
            var layer = event.layer, props = layer.feature && layer.feature.properties, path = layer._path;
            if (!props || !props.select || !path || path.getAttribute("tabindex") !== null) { return; }
            path.setAttribute("tabindex", "0");
            path.setAttribute("role", "button");
            path.setAttribute("aria-label", spoken(props.tooltip) || props.select);
            L.DomUtil.addClass(path, "atlas-keyed");
            L.DomEvent.on(path, "keydown", function (key) {
                if (key.key !== "Enter" && key.key !== " ") { return; }
                L.DomEvent.stop(key);
                atlas.choose(layer);
            });
        });
        // The list of overlapping marks: focus on its first choice, arrows move through it.
        map.on("popupopen", function (event) {
            var buttons = event.popup.getElement().querySelectorAll(".atlas-chooser-item");
            if (!buttons.length) { return; }
            buttons[0].focus();
            Array.prototype.forEach.call(buttons, function (button, index) {
                L.DomEvent.on(button, "keydown", function (key) {
                    var step = {ArrowDown: 1, ArrowUp: -1}[key.key];
                    if (!step) { return; }
                    L.DomEvent.stop(key);
                    buttons[(index + step + buttons.length) % buttons.length].focus();
                });
            });
        });
        map.on("popupclose", function () {
            if (container.contains(document.activeElement) || document.activeElement === document.body) {
                container.focus({preventScroll: true});
            }
        });
    })();
})({{MAP}});
