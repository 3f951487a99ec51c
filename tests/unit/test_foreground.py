"""Background work gives way to the answers being produced (xenia.util.foreground), for at most its bound."""

from __future__ import annotations

import asyncio

from xenia.util.foreground import Foreground


def test_background_waits_for_the_answers_in_progress_and_goes_on_when_they_end() -> None:
    async def scenario() -> list[str]:
        fg = Foreground()
        order: list[str] = []

        async def background() -> None:
            await fg.wait_idle(at_most=3600)
            order.append("background")

        fg.enter()
        fg.enter()  # two answers at once
        task = asyncio.create_task(background())
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
