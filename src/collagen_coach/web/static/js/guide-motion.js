/* The face map during a session: light up the zone being massaged and draw how to move.
 *
 * Shapes come from the face_map template tag: each zone ellipse carries data-zone, data-side
 * (the person's own side; "both" on the midline) and its centre. The person's right side is
 * drawn on the viewer's left. Motions are drawn into the map's <g class="motion-layer">:
 * circles for circular motions, dots for tapping, arrows for sweeps and stretches, converging
 * marks for pinching and loops for kneading. Everything is SVG attributes and CSS classes (the
 * content security policy allows no inline styles).
 */
(function (global) {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, String(attrs[key])); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function num(shape, attr) {
    return parseFloat(shape.getAttribute(attr));
  }

  /* Give the outward horizontal signs to draw for a shape: -1 toward the viewer's left. */
  function outwardSigns(shape, side) {
    var shapeSide = shape.getAttribute("data-side");
    if (shapeSide === "right") return [-1];
    if (shapeSide === "left") return [1];
    if (side === "right") return [-1];
    if (side === "left") return [1];
    return [-1, 1];
  }

  function arrow(layer, x1, y1, x2, y2, extraClass) {
    var g = el("g", { "class": "motion motion-arrow " + (extraClass || "") }, layer);
    el("line", { x1: x1.toFixed(1), y1: y1.toFixed(1), x2: x2.toFixed(1), y2: y2.toFixed(1) }, g);
    var angle = Math.atan2(y2 - y1, x2 - x1);
    var head = 5;
    [0.5, -0.5].forEach(function (spread) {
      el("line", {
        x1: x2.toFixed(1), y1: y2.toFixed(1),
        x2: (x2 - head * Math.cos(angle + spread)).toFixed(1),
        y2: (y2 - head * Math.sin(angle + spread)).toFixed(1),
      }, g);
    });
    return g;
  }

  /* Give the unit vector strokes take from a shape's centre for one outward sign. */
  function strokeVector(direction, sign) {
    if (direction === "down") return { x: sign * 0.35, y: 0.94 };
    return { x: sign * 0.8, y: -0.6 };
  }

  var draw = {
    circles: function (layer, s) {
      var r = Math.max(4.5, Math.min(s.rx, s.ry) * 0.5);
      var offsets = s.rx > 25 ? [-0.5, 0, 0.5] : s.rx > 10 ? [-0.35, 0.35] : [0];
      offsets.forEach(function (f) {
        el("circle", { "class": "motion motion-circle", cx: s.cx + f * s.rx, cy: s.cy, r: r.toFixed(1) }, layer);
      });
    },
    dots: function (layer, s) {
      var spots = [[0, 0], [-0.45, -0.35], [0.45, -0.35], [-0.45, 0.35], [0.45, 0.35]];
      spots.forEach(function (p, i) {
        el("circle", {
          "class": "motion-dot tap-" + (i % 3),
          cx: (s.cx + p[0] * s.rx).toFixed(1), cy: (s.cy + p[1] * s.ry).toFixed(1),
          r: Math.max(2, Math.min(s.rx, s.ry) * 0.18).toFixed(1),
        }, layer);
      });
    },
    sweep: function (layer, s) {
      var len = Math.max(10, Math.min(26, Math.max(s.rx, s.ry) * 1.1));
      s.signs.forEach(function (sign) {
        var v = strokeVector(s.direction, sign);
        var x0 = s.cx - v.x * len * 0.45 + (s.signs.length > 1 ? sign * s.rx * 0.25 : 0);
        var y0 = s.cy - v.y * len * 0.45;
        arrow(layer, x0, y0, x0 + v.x * len, y0 + v.y * len, "motion-sweep");
      });
    },
    stretch: function (layer, s) {
      var len = Math.max(10, Math.min(22, Math.max(s.rx, s.ry) * 0.9));
      s.signs.forEach(function (sign) {
        var v = strokeVector(s.direction, sign);
        var x0 = s.cx + (s.signs.length > 1 ? sign * s.rx * 0.2 : 0);
        var y0 = s.cy;
        // The anchoring finger: a short bar across the start of the stretch.
        el("line", {
          "class": "motion motion-anchor",
          x1: (x0 - v.y * 4).toFixed(1), y1: (y0 + v.x * 4).toFixed(1),
          x2: (x0 + v.y * 4).toFixed(1), y2: (y0 - v.x * 4).toFixed(1),
        }, layer);
        arrow(layer, x0, y0, x0 + v.x * len, y0 + v.y * len, "motion-stretch");
      });
    },
    pinch: function (layer, s) {
      var gap = Math.max(3, Math.min(s.rx, 10) * 0.35);
      var reach = 6;
      arrow(layer, s.cx - gap - reach, s.cy, s.cx - gap, s.cy, "motion-pinch");
      arrow(layer, s.cx + gap + reach, s.cy, s.cx + gap, s.cy, "motion-pinch");
    },
    knead: function (layer, s) {
      s.signs.forEach(function (sign) {
        var v = strokeVector(s.direction, sign);
        var len = Math.max(12, Math.min(26, s.rx * 1.2));
        var x = s.cx - v.x * len * 0.5;
        var y = s.cy - v.y * len * 0.5;
        var d = "M" + x.toFixed(1) + " " + y.toFixed(1);
        var dx = ((v.x * len) / 3).toFixed(1);
        var dy = ((v.y * len) / 3).toFixed(1);
        for (var i = 0; i < 3; i += 1) {
          // One lift-and-roll: a small bump along the way.
          d += " a3.4 3.4 0 1 " + (sign > 0 ? 1 : 0) + " " + dx + " " + dy;
        }
        el("path", { "class": "motion motion-knead", d: d }, layer);
        var ex = s.cx + v.x * len * 0.5;
        var ey = s.cy + v.y * len * 0.5;
        arrow(layer, ex - v.x * 3, ey - v.y * 3, ex + v.x * 2, ey + v.y * 2, "motion-knead-head");
      });
    },
  };

  /* Light the zone (and side) of ``card`` on the face map ``svg`` and draw its motion. */
  function show(svg, card) {
    if (!svg) return;
    var layer = svg.querySelector(".motion-layer");
    while (layer.firstChild) layer.removeChild(layer.firstChild);
    var shapes = svg.querySelectorAll(".zone");
    Array.prototype.forEach.call(shapes, function (shape) {
      var side = shape.getAttribute("data-side");
      var lit = card && shape.getAttribute("data-zone") === card.zone &&
        (card.side === "both" || side === "both" || side === card.side);
      shape.classList.toggle("zone-active", Boolean(lit));
      if (!lit) return;
      var drawer = draw[card.motion] || draw.sweep;
      drawer(layer, {
        cx: num(shape, "data-cx"), cy: num(shape, "data-cy"),
        rx: num(shape, "rx"), ry: num(shape, "ry"),
        signs: outwardSigns(shape, card.side), direction: card.direction,
      });
    });
    svg.setAttribute("data-motion", card ? card.motion : "");
  }

  /* Give the motion in words, for the caption under the map. */
  var WORDS = {
    circles: "Small slow circles, drifting upward and outward.",
    dots: "Light, quick taps with relaxed fingertips.",
    sweep: "Slow, light strokes in the direction of the arrows.",
    stretch: "Hold the skin still at the bar, stretch gently along the arrow, hold, release.",
    pinch: "Quick, light pinches of a little skin, released at once.",
    knead: "Lift, roll and release, working along the arrow.",
  };

  function caption(card) {
    var words = WORDS[card.motion] || WORDS.sweep;
    if (card.direction === "down") words = words.replace("upward and outward", "downward");
    return words;
  }

  global.GuideMotion = { show: show, caption: caption };
})(window);
