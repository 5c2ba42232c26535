import { useEffect, useRef, useState } from 'react';
import { pickedFromDrop, type PickedSource } from './pickedSource';

/** The drag is over when no dragover has come for this long (dragleave fires for every child crossed). */
const dragGoneMs = 150;

/**
 * Files dropped anywhere on the window go to `onDrop`; returns whether files are being dragged over it, for an
 * overlay. Listens in the capture phase so Monaco's own drop handling never sees a file drop.
 */
export function useWindowDrop(onDrop: (picked: PickedSource) => void): boolean {
  const [dragging, setDragging] = useState(false);
  const onDropRef = useRef(onDrop);
  useEffect(() => {
    onDropRef.current = onDrop;
  }, [onDrop]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const hasFiles = (e: DragEvent) => Boolean(e.dataTransfer && [...e.dataTransfer.types].includes('Files'));
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.stopPropagation();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
      setDragging(true);
      clearTimeout(timer);
      timer = setTimeout(() => setDragging(false), dragGoneMs);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e) || !e.dataTransfer) return;
      e.preventDefault();
      e.stopPropagation();
      clearTimeout(timer);
      setDragging(false);
      const picked = pickedFromDrop(e.dataTransfer);
      if (picked) onDropRef.current(picked);
    };
    window.addEventListener('dragenter', over, true);
    window.addEventListener('dragover', over, true);
    window.addEventListener('drop', drop, true);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('dragenter', over, true);
      window.removeEventListener('dragover', over, true);
      window.removeEventListener('drop', drop, true);
    };
  }, []);

  return dragging;
}
