//! Stay regimes as versioned data, production calendars, and the stay/overstay/deadline engine.
