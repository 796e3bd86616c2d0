/**
 * Alligator's heap statistics for JavaScript: Module.alligator.
 *
 * Linked by the port (emscripten.py adds it) or by hand with
 *   --js-library js/library_alligator.js
 *
 *   Module.alligator.stats()    -> numbers (O(size classes), cheap per frame)
 *   Module.alligator.validate() -> number of heap problems (walks the heap)
 *   Module.alligator.heapMap()  -> one entry per span, in address order
 *   Module.alligator.geometry() -> unit, header and section bytes, class sizes
 *
 * The C side (port/stats_js.c) exports alligator_stats_js and friends, which
 * fill a static buffer, so reading statistics allocates nothing.
 */
var AlligatorLibrary = {
  $Alligator__postset: "Module['alligator'] = Alligator;",
  // Imported by port/stats_js.c (called once, from a constructor): linking
  // the C side pulls in $Alligator, so no -sDEFAULT_LIBRARY_FUNCS_TO_INCLUDE.
  alligator_js_attach__deps: ['$Alligator'],
  alligator_js_attach__sig: 'v',
  alligator_js_attach: function() {},
  $Alligator: {
    KINDS: ['none', 'free', 'large', 'minipage', 'end'],
    layout: null,

    // Names, offsets, class count and unit geometry from port/stats_js.c (once).
    readLayout: function() {
      var q = _alligator_stats_layout_js() >> 2, u32 = HEAPU32, L = {
        count: u32[q], classes: u32[q + 1], unit: u32[q + 2], header: u32[q + 3], classSize: u32[q + 4],
        classSlots: u32[q + 5], classPages: u32[q + 6], classUsed: u32[q + 7], fragmentation: u32[q + 8],
        fields: [] };
      for (var i = 0; i < L.count; i++) {
        var name = '', c = u32[q + 9 + 2 * i];
        while (HEAPU8[c]) name += String.fromCharCode(HEAPU8[c++]);
        L.fields.push({ name: name, offset: u32[q + 10 + 2 * i] });
      }
      return L;
    },

    // The heap's shape, for drawing it: bytes per unit (one MiniPage), its
    // header and section, and the size classes (ascending).  Constant.
    geometry: function() {
      var classes = Alligator.stats().classes, L = Alligator.layout, sizes = [];
      for (var c = 0; c < classes.length; c++) sizes.push(classes[c].size);
      return { unitBytes: L.unit, headerBytes: L.header, sectionBytes: L.unit - L.header, classes: L.classes,
               classSizes: sizes, smallestClass: sizes[0], largestClass: sizes[L.classes - 1] };
    },

    stats: function() {
      var L = Alligator.layout || (Alligator.layout = Alligator.readLayout());
      var p = _alligator_stats_js(), u32 = HEAPU32, n = L.classes, s = {};
      for (var i = 0; i < L.fields.length; i++) s[L.fields[i].name] = u32[(p + L.fields[i].offset) >> 2];
      var classes = [];
      for (var c = 0; c < n; c++) {
        var size = u32[(p + L.classSize >> 2) + c], slots = u32[(p + L.classSlots >> 2) + c];
        var pages = u32[(p + L.classPages >> 2) + c], used = u32[(p + L.classUsed >> 2) + c];
        classes.push({ size: size, slots: slots, pages: pages, used: used,
                       wasteBytes: (pages * slots - used) * size + pages * (L.unit - slots * size) });
      }
      s.classes = classes;
      s.fragmentation = HEAPF64[(p + L.fragmentation) >> 3];
      return s;
    },

    validate: function() {
      return _alligator_validate_js();
    },

    // The C side allocates the buffer (the program need not export malloc).
    heapMap: function() {
      var buf = _alligator_heap_map_js();
      if (!buf) throw new Error('alligator: out of memory for the heap map');
      var u32 = HEAPU32, count = u32[buf >> 2], out = [];
      for (var i = 0; i < count; i++) {
        var e = (buf >> 2) + 2 + i * 6;
        out.push({ address: u32[e], bytes: u32[e + 1], kind: Alligator.KINDS[u32[e + 2]] || 'none',
                   cls: u32[e + 3], used: u32[e + 4], slots: u32[e + 5] });
      }
      _alligator_heap_map_free_js(buf);
      return out;
    },
  },
};

if (typeof addToLibrary !== 'undefined') addToLibrary(AlligatorLibrary);
else mergeInto(LibraryManager.library, AlligatorLibrary);
