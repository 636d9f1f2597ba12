package dev.crmsso.userstorage;

import java.time.Duration;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

/**
 * One federation's circuit breaker. After {@link #FAILURES_TO_OPEN} requests in a row that the CRM did
 * not answer (down, slower than the timeout, HTTP error, HTML, broken JSON) it opens: for the open time
 * nothing is sent to the CRM and every caller is told at once. Then one request at a time (the probe)
 * is let through; its success closes the breaker, its failure opens it again for another open time.
 * A CRM that answers, even with an error of its own (a wrong password, an unknown session), is up.
 */
final class CrmBreaker {

    private static final Logger LOG = Logger.getLogger(CrmBreaker.class);
    static final int FAILURES_TO_OPEN = 3;
    static final int DEFAULT_OPEN_SECONDS = 30;

    private enum State { CLOSED, OPEN, PROBING }

    private final String name;
    private final Duration openTime;
    private final LongSupplier nanoClock;
    private State state = State.CLOSED;
    private int failures;
    private long openUntil;

    CrmBreaker(String name, Duration openTime) {
        this(name, openTime, System::nanoTime);
    }

    CrmBreaker(String name, Duration openTime, LongSupplier nanoClock) {
        this.name = name;
        this.openTime = openTime;
        this.nanoClock = nanoClock;
    }

    Duration openTime() {
        return openTime;
    }

    /** Whether a request may go to the CRM now; false: the breaker is open (or another request probes). */
    synchronized boolean allow() {
        switch (state) {
            case CLOSED:
                return true;
            case OPEN:
                if (nanoClock.getAsLong() - openUntil >= 0) {
                    state = State.PROBING;
                    LOG.debugf("CRM contacts %s: breaker half open, one request probes the CRM", name);
                    return true;
                }
                return false;
            default:
                return false;
        }
    }

    /** Open (or probing): callers are told at once, without a request. */
    synchronized boolean isOpen() {
        return state != State.CLOSED && !(state == State.OPEN && nanoClock.getAsLong() - openUntil >= 0);
    }

    /** The CRM answered. */
    synchronized void succeeded() {
        if (state != State.CLOSED) {
            LOG.infof("CRM contacts %s: the CRM answers again; breaker closed", name);
        }
        state = State.CLOSED;
        failures = 0;
    }

    /** The CRM gave no usable answer. */
    synchronized void failed(String why) {
        failures++;
        if (state == State.PROBING || (state == State.CLOSED && failures >= FAILURES_TO_OPEN)) {
            if (state == State.CLOSED) {
                LOG.warnf("CRM contacts %s: %d requests in a row without an answer (last: %s); breaker open: the CRM "
                        + "is not asked for %d s, contacts are told it cannot be reached", name, failures, why,
                        openTime.toSeconds());
            } else {
                LOG.debugf("CRM contacts %s: probe failed (%s); breaker open for another %d s", name, why,
                        openTime.toSeconds());
            }
            state = State.OPEN;
            openUntil = nanoClock.getAsLong() + openTime.toNanos();
        }
    }

    /** The probe ended without telling anything about the CRM (a caller's own error): let the next one probe. */
    synchronized void released() {
        if (state == State.PROBING) {
            state = State.OPEN;
            openUntil = nanoClock.getAsLong();
        }
    }
}
