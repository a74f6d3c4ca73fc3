; Input of inlines_as_plain.test: a timed function (it calls an opaque
; function) that calls an untimed leaf of its module.
declare void @work()

define i32 @leaf(i32 %x) {
  %y = mul i32 %x, %x
  ret i32 %y
}

define void @timed(i32 %x) {
  call void @work()
  %y = call i32 @leaf(i32 %x)
  ret void
}

; Timed because it calls a timed function: the guarded hooks.
define void @outer(i32 %x) {
  call void @timed(i32 %x)
  ret void
}
