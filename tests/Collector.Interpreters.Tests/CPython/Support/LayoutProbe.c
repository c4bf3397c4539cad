/* Prints offsetof() of the fields CPythonLayout names, compiled against one interpreter's own headers (LayoutProbeTests). */
#define Py_BUILD_CORE 1
#include <Python.h>
#include <stddef.h>
#include <frameobject.h>
#include <stdio.h>
#include "internal/pycore_runtime.h"
#include "internal/pycore_interp.h"
#if PY_VERSION_HEX >= 0x030B0000
#include "internal/pycore_frame.h"
#endif
#include "internal/pycore_code.h"
#define P(name, expr) printf("%s=%zu\n", name, (size_t)(expr))
int main(void) {
  P("runtime.interpreters_head", offsetof(_PyRuntimeState, interpreters.head));
#if PY_VERSION_HEX < 0x030C0000
  P("runtime.gilstate_tstate_current", offsetof(_PyRuntimeState, gilstate.tstate_current));
#endif
#if PY_VERSION_HEX < 0x030B0000
  P("interp.threads_head", offsetof(PyInterpreterState, tstate_head));
#else
  P("interp.threads_head", offsetof(PyInterpreterState, threads.head));
#endif
  P("tstate.next", offsetof(PyThreadState, next));
  P("tstate.thread_id", offsetof(PyThreadState, thread_id));
#if PY_VERSION_HEX >= 0x030B0000
  P("tstate.native_thread_id", offsetof(PyThreadState, native_thread_id));
#endif
#if PY_VERSION_HEX < 0x030B0000
  P("tstate.frame", offsetof(PyThreadState, frame));
  P("frame.back", offsetof(PyFrameObject, f_back));
  P("frame.code", offsetof(PyFrameObject, f_code));
  P("frame.lasti", offsetof(PyFrameObject, f_lasti));
  P("code.name", offsetof(PyCodeObject, co_name));
#elif PY_VERSION_HEX < 0x030D0000
  P("tstate.cframe", offsetof(PyThreadState, cframe));
  P("cframe.current_frame", offsetof(_PyCFrame, current_frame));
  P("frame.code", offsetof(_PyInterpreterFrame, f_code));
  P("frame.previous", offsetof(_PyInterpreterFrame, previous));
  P("frame.prev_instr", offsetof(_PyInterpreterFrame, prev_instr));
  P("frame.owner", offsetof(_PyInterpreterFrame, owner));
#else
  P("tstate.current_frame", offsetof(PyThreadState, current_frame));
  P("frame.executable", offsetof(_PyInterpreterFrame, f_executable));
  P("frame.previous", offsetof(_PyInterpreterFrame, previous));
  P("frame.instr_ptr", offsetof(_PyInterpreterFrame, instr_ptr));
  P("frame.owner", offsetof(_PyInterpreterFrame, owner));
#endif
#if PY_VERSION_HEX >= 0x030B0000 && PY_VERSION_HEX < 0x030C0000
  P("frame.is_entry", offsetof(_PyInterpreterFrame, is_entry));
#endif
#if PY_VERSION_HEX >= 0x030C0000
  P("owner.cstack", FRAME_OWNED_BY_CSTACK);
#endif
#if PY_VERSION_HEX >= 0x030B0000
  P("code.code_adaptive", offsetof(PyCodeObject, co_code_adaptive));
  P("code.qualname", offsetof(PyCodeObject, co_qualname));
  P("code.name", offsetof(PyCodeObject, co_name));
#endif
  P("code.filename", offsetof(PyCodeObject, co_filename));
  P("code.firstlineno", offsetof(PyCodeObject, co_firstlineno));
  P("code.linetable", offsetof(PyCodeObject, co_linetable));
  P("object.type", offsetof(PyObject, ob_type));
  P("bytes.size", offsetof(PyVarObject, ob_size));
  P("bytes.data", offsetof(PyBytesObject, ob_sval));
  P("str.length", offsetof(PyASCIIObject, length));
  P("str.state", offsetof(PyASCIIObject, state));
  P("str.ascii_data", sizeof(PyASCIIObject));
  P("str.compact_data", sizeof(PyCompactUnicodeObject));
  { PyASCIIObject o; memset(&o, 0, sizeof o); o.state.kind = 7; unsigned v; memcpy(&v, &o.state, 4); P("str.kind_shift", __builtin_ctz(v)); }
  { PyASCIIObject o; memset(&o, 0, sizeof o); o.state.compact = 1; unsigned v; memcpy(&v, &o.state, 4); P("str.compact_bit", __builtin_ctz(v)); }
  { PyASCIIObject o; memset(&o, 0, sizeof o); o.state.ascii = 1; unsigned v; memcpy(&v, &o.state, 4); P("str.ascii_bit", __builtin_ctz(v)); }
  return 0;
}
