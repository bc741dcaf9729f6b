-- When a person is erased, their places in upcoming events are given to the waiting list inside the erasure's
-- transaction (issue 12: "waiting list that moves up automatically"). The erasure has no notifier, so the people
-- who moved up are marked here and told by the events' background work (the reminders' tick), once.
ALTER TABLE desk_event_registrations ADD COLUMN promotion_notice_due boolean NOT NULL DEFAULT false;
CREATE INDEX desk_event_registrations_notice_due ON desk_event_registrations (id) WHERE promotion_notice_due;
