{
  "variables": {
    "core_sources": [
      "native/core/util/simd.cc",
      "native/core/util/thread_pool.cc",
      "native/core/fft/plan.cc",
      "native/core/fft/fft.cc",
      "native/core/dsp/feature_plan.cc",
      "native/core/dsp/block_scalar.cc",
      "native/core/features/deltas.cc",
      "native/core/features/db.cc",
      "native/core/features/acoustic_stats.cc",
      "native/core/features/pooling.cc",
      "native/core/features/spectral.cc",
      "native/core/search/flat_search.cc",
      "native/core/search/quantize.cc",
      "native/core/search/scan_accel.cc",
      "native/core/util/matrix_unit.cc",
      "native/core/features/raven.cc",
      "native/core/audio/byte_source.cc",
      "native/core/audio/wav.cc",
      "native/core/audio/wav_resample.cc",
      "native/core/dsp/resample.cc",
      "native/core/linalg/dense.cc",
      "native/core/forest/forest.cc",
      "native/core/explore/umap_layout.cc",
      "native/core/explore/tsne_layout.cc"
    ],
    "common_cflags": ["-O3", "-fPIC", "-fno-math-errno", "-fvisibility=hidden", "-fvisibility-inlines-hidden", "-Wall", "-Wextra", "-Wno-unused-parameter"]
  },
  "target_defaults": {
    "include_dirs": ["native/core"],
    "cflags!": ["-fno-exceptions"],
    "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
    "cflags_cc": ["-fexceptions", "-std=c++17"],
    "xcode_settings": {
      "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
      "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
      "MACOSX_DEPLOYMENT_TARGET": "11.0"
    },
    "msvs_settings": { "VCCLCompilerTool": { "ExceptionHandling": 1 } }
  },
  "targets": [
    {
      "target_name": "audiomill",
      "sources": [
        "<@(core_sources)",
        "native/binding/addon.cc",
        "native/binding/convert.cc",
        "native/binding/feature_plan_wrap.cc",
        "native/binding/task.cc",
        "native/binding/wav_wrap.cc",
        "native/binding/resample_wrap.cc",
        "native/binding/stats_wrap.cc",
        "native/binding/spectral_wrap.cc",
        "native/binding/search_wrap.cc",
        "native/binding/map_file_wrap.cc",
        "native/binding/fs_wrap.cc",
        "native/binding/pooling_wrap.cc",
        "native/binding/linalg_wrap.cc",
        "native/binding/raven_wrap.cc",
        "native/binding/forest_wrap.cc",
        "native/binding/explore_wrap.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED", "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS"],
      "cflags": ["<@(common_cflags)"],
      "conditions": [
        # Never unloaded: Node unloads an addon when the worker thread that loaded it ends, and the native
        # pool's threads (started by that worker's calls) live on; one spinning for work would then run
        # unmapped code.
        ["OS=='linux'", {
          "ldflags": ["-Wl,-z,nodelete"]
        }],
        ["target_arch=='x64'", {
          "dependencies": ["audiomill_avx2", "audiomill_avx512"],
          "defines": ["AUDIOMILL_HAVE_AVX2", "AUDIOMILL_HAVE_AVX512"]
        }],
        ["target_arch=='arm64'", {
          "dependencies": ["audiomill_neon"],
          "defines": ["AUDIOMILL_HAVE_NEON"]
        }]
      ]
    }
  ],
  "conditions": [
    ["target_arch=='x64'", {
      "targets": [
        {
          "target_name": "audiomill_avx2",
          "type": "static_library",
          "sources": ["native/core/dsp/block_avx2.cc"],
          "cflags": ["<@(common_cflags)", "-mavx2", "-mfma"],
          "xcode_settings": { "OTHER_CPLUSPLUSFLAGS": ["-mavx2", "-mfma"] }
        },
        {
          "target_name": "audiomill_avx512",
          "type": "static_library",
          "sources": ["native/core/dsp/block_avx512.cc"],
          "cflags": ["<@(common_cflags)", "-mavx512f", "-mavx512dq", "-mavx2", "-mfma", "-Wno-maybe-uninitialized"],
          "xcode_settings": { "OTHER_CPLUSPLUSFLAGS": ["-mavx512f", "-mavx512dq", "-mavx2", "-mfma"] }
        }
      ]
    }],
    ["target_arch=='arm64'", {
      "targets": [
        {
          "target_name": "audiomill_neon",
          "type": "static_library",
          "sources": ["native/core/dsp/block_neon.cc"],
          "cflags": ["<@(common_cflags)"]
        }
      ]
    }]
  ]
}
