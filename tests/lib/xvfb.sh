# xvfb.sh — sourced by the tests that run the client in a real X window (kiosk/escape.sh, lifecycle/xfocus.sh,
# ui/x_after_send.sh): start_xvfb WxH starts Xvfb on a free display (-displayfd writes its number to ./display
# when it is ready; its log is ./xvfb.log), sets xvfb to its PID for stop_pid and exports DISPLAY. It returns 1,
# with the log printed, when no display is ready within 10 s.
start_xvfb() {
    Xvfb -displayfd 3 -screen 0 "$1x24" -nolisten tcp -noreset 3> display > xvfb.log 2>&1 &
    xvfb=$!
    for _ in $(seq 100); do
        grep -q '^[0-9][0-9]*$' display 2>/dev/null && break
        kill -0 "$xvfb" 2>/dev/null || break
        sleep 0.1
    done
    grep -q '^[0-9][0-9]*$' display 2>/dev/null || { cat xvfb.log; return 1; }
    export DISPLAY=:$(cat display)
}
