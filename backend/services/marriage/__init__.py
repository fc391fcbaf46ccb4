"""婚姻登记预约: offices and slots, booking, the appointment lifecycle, divorce
cooling-off, peak-date ballots and waitlists. One module per concern."""
