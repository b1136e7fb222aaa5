mod readback;
mod specs;
