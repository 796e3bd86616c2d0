/**
 * Alligator's heap statistics for JavaScript: Module.alligator.
 *
 * Linked by the port (emscripten.py adds it) or by hand with
 *   --js-library js/library_alligator.js
 *
 *   Module.alligator.stats()    -> numbers (O(size classes), cheap per frame)
 *   Module.alligator.validate() -> number of heap problems (walks the heap)
 *   Module.alligator.heapMap()  -> one entry per span, in address order
 *
 * The C side (src/stats.c) exports alligator_stats_js and friends, which
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
    CLASSES: 21,
    KINDS: ['none', 'free', 'large', 'minipage', 'end'],

    stats: function() {
      var p = _alligator_stats_js() >> 2;
      var u32 = HEAPU32, n = Alligator.CLASSES;
      var names = ['heapBytes', 'inUseBytes', 'peakInUseBytes', 'freeBytes', 'overheadBytes',
                   'liveAllocations', 'minipages', 'largeBlocks', 'largeBytes', 'freeSpans',
                   'freeSpanBytes', 'largestFreeBytes', 'oomCount', 'growCount', 'classCount'];
      var s = {};
      for (var i = 0; i < names.length; i++) s[names[i]] = u32[p + i];
      var a = p + names.length, classes = [];
      for (var c = 0; c < n; c++) {
        var size = u32[a + c], slots = u32[a + n + c], pages = u32[a + 2 * n + c], used = u32[a + 3 * n + c];
        classes.push({ size: size, slots: slots, pages: pages, used: used,
                       wasteBytes: (pages * slots - used) * size + pages * (2080 - slots * size) });
      }
      s.classes = classes;
      s.fragmentation = HEAPF64[(((p + names.length + 4 * n) << 2) + 7) >> 3];
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
