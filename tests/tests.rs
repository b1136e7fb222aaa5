mod readback;
