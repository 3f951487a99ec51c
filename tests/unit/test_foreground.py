"""Background work gives way to the answers being produced (xenia.util.foreground), for at most its bound."""

from __future__ import annotations

import asyncio
import itertools
import time

from xenia.util.foreground import Foreground


def _background(fg: Foreground, order: list[str], at_most: float = 3600) -> asyncio.Task[None]:
    """A background slice: waits for ``fg`` (at most ``at_most`` seconds), then notes in ``order`` that it went."""

    async def slice_() -> None:
        await fg.wait_idle(at_most=at_most)
        order.append("background")

    return asyncio.create_task(slice_())


def test_background_waits_for_the_answers_in_progress_and_goes_on_when_they_end() -> None:
    async def scenario() -> list[str]:
        fg = Foreground()
        order: list[str] = []

        fg.enter()
        fg.enter()  # two answers at once
        task = _background(fg, order)
        for _ in range(20):
            await asyncio.sleep(0)
        order.append("first answer done")
        fg.leave()
        for _ in range(20):
            await asyncio.sleep(0)
        order.append("second answer done")
        fg.leave()
        await task
        await fg.wait_idle(at_most=3600)  # idle: only one turn of the loop
        return order

    assert asyncio.run(scenario()) == ["first answer done", "second answer done", "background"]


def test_an_answer_that_never_ends_delays_background_work_only_by_the_bound() -> None:
    async def scenario() -> int:
        fg = Foreground()
        fg.enter()  # a client that never reads its answer
        for _ in range(3):
            await fg.wait_idle(at_most=0.01)
        return fg.count

    assert asyncio.run(scenario()) == 1


def test_background_waits_for_a_call_in_progress_but_not_for_one_parked_long_ago() -> None:
    """A login waiting for its password check holds background work (a call that came in less than
    ``busy`` seconds ago); a long poll parked for longer (``busy`` 0 here) does not hold it."""

    async def scenario() -> tuple[list[str], int]:
        fg = Foreground(quiet=0, busy=3600)
        order: list[str] = []

        fg.called()
        task = _background(fg, order)
        for _ in range(20):
            await asyncio.sleep(0)
        order.append("call answered")
        fg.answered()
        await task
        parked = Foreground(quiet=0, busy=0)
        parked.called()  # an event.from that waits for events: in progress, but not busy
        await parked.wait_idle(at_most=3600)
        return order, parked.calls

    assert asyncio.run(scenario()) == (["call answered", "background"], 1)


def test_background_waits_until_calls_stop_coming() -> None:
    """Between a client's calls no answer is being produced, yet the client is not done: background
    work waits until no call came or went for ``quiet`` seconds."""

    async def scenario() -> list[str]:
        fg = Foreground(quiet=3600, busy=3600)
        fg.called()
        fg.answered()  # a login answered; the client's next call follows at once
        order: list[str] = []

        task = _background(fg, order, at_most=0.5)  # the bound: it goes on once it has waited that long
        for _ in range(20):
            await asyncio.sleep(0)
        order.append("next call")
        await task
        return order

    assert asyncio.run(scenario()) == ["next call", "background"]


def test_slices_past_their_bound_during_an_answer_go_one_at_a_time_a_bound_apart() -> None:
    """While an answer is being produced, background tasks whose bound ran out do not all run a
    slice at once between the answer's slices: one does, and the next no sooner than a bound later."""

    async def scenario() -> list[float]:
        fg = Foreground()
        fg.enter()  # a big answer on its way throughout
        went: list[float] = []

        async def background() -> None:
            await fg.wait_idle(at_most=0.05)
            went.append(time.monotonic())

        await asyncio.gather(*(background() for _ in range(3)))
        fg.leave()
        return went

    went = asyncio.run(scenario())
    assert len(went) == 3
    assert all(later - earlier >= 0.05 for earlier, later in itertools.pairwise(went))


def test_a_call_that_worked_long_on_the_loop_holds_background_work_until_its_answer_is_encoded() -> None:
    """A query evaluated in one stretch longer than ``busy``: the slices that came due meanwhile wait
    for its answer's encoding, which starts right after (``worked``), instead of running before it."""

    async def scenario() -> list[str]:
        fg = Foreground(quiet=0, busy=0.5)
        order: list[str] = []

        fg.called()
        task = _background(fg, order)
        await asyncio.sleep(0)
        time.sleep(0.5)  # the handler's synchronous evaluation, holding the loop
        fg.worked()
        for _ in range(5):
            await asyncio.sleep(0)
        fg.enter()  # the encoding in slices
        for _ in range(20):
            await asyncio.sleep(0)
        order.append("answer encoded")
        fg.leave()
        fg.answered()
        await task
        return order

    assert asyncio.run(scenario()) == ["answer encoded", "background"]
